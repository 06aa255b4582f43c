namespace Paddock.Domain.Catalog;

/// <summary>A catalog entry planned into an environment: which entry, which version, with which (non-secret)
/// parameter values, through which plan. Immutable: each install or upgrade is a new row; what an environment runs
/// is its newest row whose plan was applied.</summary>
public sealed class CatalogInstall
{
    public Guid Id { get; private set; }
    public Guid ApplicationId { get; private set; }
    public Guid EnvironmentId { get; private set; }
    public string EntryId { get; private set; } = "";
    public string Version { get; private set; } = "";
    /// <summary>The parameter values used, generated secrets excepted (those are app secrets).</summary>
    public Dictionary<string, string> Parameters { get; private set; } = [];
    public Guid PlanId { get; private set; }
    public string CreatedById { get; private set; } = "";
    public string CreatedByName { get; private set; } = "";
    public DateTime CreatedAt { get; private set; }

    private CatalogInstall() { }

    public CatalogInstall(Guid applicationId, Guid environmentId, string entryId, string version, IReadOnlyDictionary<string, string> parameters,
        Guid planId, string createdById, string createdByName, DateTime createdAt)
    {
        Id = Guid.CreateVersion7();
        ApplicationId = applicationId;
        EnvironmentId = environmentId;
        EntryId = entryId;
        Version = version;
        Parameters = new Dictionary<string, string>(parameters);
        PlanId = planId;
        CreatedById = createdById;
        CreatedByName = createdByName;
        CreatedAt = createdAt;
    }
}
