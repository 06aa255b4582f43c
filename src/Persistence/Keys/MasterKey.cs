using System.Security.Cryptography;
using System.Text;

namespace Paddock.Persistence.Keys;

/// <summary>The one secret kept outside the database. Everything else that needs a key (the Data Protection
/// key ring's encryption, the audit chain's HMAC) derives its own from it, so one file is all an operator backs up.</summary>
public sealed class MasterKey
{
    private readonly byte[] _material;

    private MasterKey(byte[] material) => _material = material;

    public static MasterKey FromBytes(byte[] material) =>
        material.Length >= 32 ? new MasterKey(material) : throw new ArgumentException("The master key must be at least 32 bytes.");

    /// <summary>Reads the configured key, or creates the key file on first start (mode 0600). Portal and workers
    /// may start at once: whoever loses the race to create the file reads the winner's.</summary>
    public static MasterKey Load(PaddockOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.MasterKey))
            return FromBytes(Convert.FromBase64String(options.MasterKey));

        var path = Path.GetFullPath(options.ResolvedMasterKeyFile);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            try
            {
                var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows()) fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                using var stream = new FileStream(path, fileOptions);
                using var writer = new StreamWriter(stream);
                writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first.
            }
        }
        return FromBytes(Convert.FromBase64String(ReadWhenComplete(path)));
    }

    private static string ReadWhenComplete(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            var text = File.ReadAllText(path).Trim();
            if (text.Length > 0 || attempt == 50) return text;
            Thread.Sleep(20);
        }
    }

    public byte[] Derive(string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, _material, 32, salt: null, info: Encoding.UTF8.GetBytes(purpose));
}
