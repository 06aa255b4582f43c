namespace Paddock.Domain.Secrets;

/// <summary>One version of the credentials an application's (or one environment's) images are pulled with, the
/// password encrypted. Like <see cref="SecretVersion"/>, versions are never changed: setting the credentials adds a
/// version, removing them adds one without values, so a deployment pins exactly the credentials it used.
/// <see cref="EnvironmentId"/> null means the application's own, used by its environments unless one overrides them.</summary>
public sealed class RegistryCredentialVersion
{
    public Guid Id { get; private set; }
    public Guid ApplicationId { get; private set; }
    public Guid? EnvironmentId { get; private set; }
    public int Version { get; private set; }
    public string? Server { get; private set; }
    public string? Username { get; private set; }
    public string? PasswordCiphertext { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public string CreatedBy { get; private set; } = "";

    private RegistryCredentialVersion() { }

    private RegistryCredentialVersion(Guid applicationId, Guid? environmentId, int version, string? server, string? username,
        string? passwordCiphertext, DateTime createdAt, string createdBy)
    {
        Id = Guid.CreateVersion7();
        ApplicationId = applicationId;
        EnvironmentId = environmentId;
        Version = version;
        Server = server;
        Username = username;
        PasswordCiphertext = passwordCiphertext;
        CreatedAt = createdAt;
        CreatedBy = createdBy;
    }

    public static RegistryCredentialVersion Set(Guid applicationId, Guid? environmentId, int version, string server, string username,
        string passwordCiphertext, DateTime createdAt, string createdBy) =>
        new(applicationId, environmentId, version, server, username, passwordCiphertext, createdAt, createdBy);

    public static RegistryCredentialVersion Removal(Guid applicationId, Guid? environmentId, int version, DateTime createdAt, string createdBy) =>
        new(applicationId, environmentId, version, null, null, null, createdAt, createdBy);

    public bool IsRemoval => PasswordCiphertext is null;

    public const int MaxServerLength = 253;
    public const int MaxUsernameLength = 256;
    public const int MaxPasswordLength = 4096;

    /// <summary>A registry address as engines take it: a host name or IPv4 address, optionally <c>:port</c>
    /// (no scheme, no path).</summary>
    public static string? CheckServer(string? server)
    {
        if (string.IsNullOrWhiteSpace(server)) return "Required.";
        if (server.Length > MaxServerLength) return $"At most {MaxServerLength} characters.";
        var colon = server.LastIndexOf(':');
        var host = colon < 0 ? server : server[..colon];
        if (colon >= 0 && !(int.TryParse(server[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
                            && port is >= 1 and <= 65535))
            return "The port must be a number between 1 and 65535.";
        var labels = host.Split('.');
        return host.Length > 0 && labels.All(IsHostLabel)
            ? null
            : "Must be a registry host, optionally with a port (e.g. ghcr.io or registry.example.com:5000), without scheme or path.";
    }

    private static bool IsHostLabel(string label) =>
        label.Length is >= 1 and <= 63 && label[0] != '-' && label[^1] != '-' && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    public static string? CheckUsername(string? username) =>
        string.IsNullOrEmpty(username) ? "Required."
        : username.Length > MaxUsernameLength ? $"At most {MaxUsernameLength} characters."
        : username.Any(char.IsControl) ? "Cannot contain control characters."
        : null;

    public static string? CheckPassword(string? password) =>
        string.IsNullOrEmpty(password) ? "Required."
        : password.Length > MaxPasswordLength ? $"At most {MaxPasswordLength} characters."
        : null;
}
