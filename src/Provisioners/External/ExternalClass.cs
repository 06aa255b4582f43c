using System.Globalization;
using Paddock.Domain.Resources;

namespace Paddock.Provisioners.External;

/// <summary>A class served by an admin's executable: <c>path</c> (absolute, executable) and <c>timeout</c> (seconds
/// per call, default 30). Every other value and every secret of the class is passed to the executable as is.</summary>
internal sealed record ExternalClass(string Path, TimeSpan Timeout)
{
    public const string PathSetting = "path";
    public const string TimeoutSetting = "timeout";
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    private const int MaxTimeoutSeconds = 3600;

    public static IReadOnlyDictionary<string, string> Validate(ResourceClassSettings settings)
    {
        var errors = new Dictionary<string, string>();
        var path = settings.Values.GetValueOrDefault(PathSetting);
        if (string.IsNullOrWhiteSpace(path) || !System.IO.Path.IsPathFullyQualified(path))
            errors[PathSetting] = "The absolute path of the provisioner executable is required.";
        else if (!File.Exists(path))
            errors[PathSetting] = $"{path} does not exist on this machine.";
        else if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) == 0)
            errors[PathSetting] = $"{path} is not executable.";
        if (settings.Values.TryGetValue(TimeoutSetting, out var timeout) && !TryParseTimeout(timeout, out _))
            errors[TimeoutSetting] = $"The timeout is a whole number of seconds from 1 to {MaxTimeoutSeconds}.";
        return errors;
    }

    /// <summary>The class's settings, or null when there is no path to run (the file itself is checked when run: a
    /// worker may see another file system than the portal that validated the class).</summary>
    public static ExternalClass? From(ResourceClassSettings settings)
    {
        var path = settings.Values.GetValueOrDefault(PathSetting);
        if (string.IsNullOrWhiteSpace(path)) return null;
        var timeout = DefaultTimeout;
        if (settings.Values.TryGetValue(TimeoutSetting, out var text))
        {
            if (!TryParseTimeout(text, out timeout)) return null;
        }
        return new ExternalClass(path, timeout);
    }

    private static bool TryParseTimeout(string text, out TimeSpan timeout)
    {
        var ok = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= MaxTimeoutSeconds;
        timeout = TimeSpan.FromSeconds(ok ? seconds : 0);
        return ok;
    }
}
