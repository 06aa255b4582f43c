using Paddock.Portal.Features.Catalog;

namespace Paddock.Portal.Components.Pages.Catalog;

/// <summary>What the install dialog holds: where the entry goes and the value of each parameter it asks for (generated
/// secrets are not asked: Paddock makes them). Starts from the entry's defaults.</summary>
public sealed class InstallForm
{
    public string? Team { get; set; }
    public string? App { get; set; }
    public string? Environment { get; set; }
    public Dictionary<string, string?> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>The app is named like the entry (an entry of a git catalog without its <c>{source}/</c> prefix).</summary>
    public static InstallForm For(CatalogEntryView entry, string? team) =>
        new InstallForm { Team = team, App = entry.Id[(entry.Id.LastIndexOf('/') + 1)..], Environment = "prod" }.WithDefaults(entry);

    private InstallForm WithDefaults(CatalogEntryView entry)
    {
        foreach (var parameter in entry.Parameters.Where(p => !p.Generated)) Values[parameter.Id] = parameter.Default;
        return this;
    }

    /// <summary>The request as the API takes it; a field left empty is sent empty (the pattern then says what it needs).</summary>
    public InstallRequest Request() => new(Team?.Trim(), App?.Trim(), Environment?.Trim(), Values.ToDictionary(v => v.Key, v => (string?)(v.Value ?? "")));
}
