namespace Paddock.Domain.Resources;

/// <summary>A server of one resource type that platform admins registered (a postgres cluster, a redis server),
/// named so workloads can ask for it (<c>class: shared</c>; <c>default</c> when they name none). Plain settings are
/// kept as they are; secret settings (an admin password) only as ciphertext, keyed by setting name.</summary>
public sealed class ResourceClass
{
    public const string DefaultName = "default";

    public Guid Id { get; private set; }
    public string Type { get; private set; } = "";
    public string Name { get; private set; } = "";
    public Dictionary<string, string> Values { get; private set; } = [];
    public Dictionary<string, string> ProtectedSecrets { get; private set; } = [];
    public DateTime CreatedAt { get; private set; }
    public string CreatedBy { get; private set; } = "";
    public DateTime UpdatedAt { get; private set; }
    public string UpdatedBy { get; private set; } = "";

    private ResourceClass() { }

    public ResourceClass(string type, string name, string createdBy, DateTime createdAt)
    {
        Id = Guid.CreateVersion7();
        Type = type;
        Name = name;
        CreatedBy = UpdatedBy = createdBy;
        CreatedAt = UpdatedAt = createdAt;
    }

    public void Configure(IReadOnlyDictionary<string, string> values, IReadOnlyDictionary<string, string> protectedSecrets, string by, DateTime at)
    {
        Values = new Dictionary<string, string>(values, StringComparer.Ordinal);
        ProtectedSecrets = new Dictionary<string, string>(protectedSecrets, StringComparer.Ordinal);
        UpdatedBy = by;
        UpdatedAt = at;
    }
}
