using System.Runtime.Versioning;

namespace Paddock.Provisioners.Tests.External;

/// <summary>Small sh provisioners written by the tests into a folder of their own, removed afterwards.</summary>
[SupportedOSPlatform("linux")]
public sealed class ScriptProvisioners : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("paddock-external-").FullName;

    /// <summary>Writes an executable sh script with this body and answers its path.</summary>
    public string Write(string name, string body)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
