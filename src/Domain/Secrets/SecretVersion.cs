namespace Paddock.Domain.Secrets;

/// <summary>One version of a secret value, encrypted. Versions are never changed: setting a secret adds a
/// version, removing it adds a version with no value, so a deployment can pin exactly what it used.
/// <see cref="EnvironmentId"/> null means the application's own secret, shared by its environments
/// unless they override it.</summary>
public sealed class SecretVersion
{
    public Guid Id { get; private set; }
    public Guid ApplicationId { get; private set; }
    public Guid? EnvironmentId { get; private set; }
    public string Name { get; private set; } = "";
    public int Version { get; private set; }
    public string? Ciphertext { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public string CreatedBy { get; private set; } = "";

    private SecretVersion() { }

    public SecretVersion(Guid applicationId, Guid? environmentId, string name, int version, string? ciphertext, DateTime createdAt, string createdBy)
    {
        Id = Guid.CreateVersion7();
        ApplicationId = applicationId;
        EnvironmentId = environmentId;
        Name = name;
        Version = version;
        Ciphertext = ciphertext;
        CreatedAt = createdAt;
        CreatedBy = createdBy;
    }

    public bool IsRemoval => Ciphertext is null;
}
