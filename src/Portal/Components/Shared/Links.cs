namespace Paddock.Portal.Components.Shared;

/// <summary>The UI's addresses in one place, so pages and tests agree on them.</summary>
public static class Links
{
    public const string Dashboard = "/";
    public const string Teams = "/teams";
    public const string Apps = "/apps";
    public const string Audit = "/audit";
    public const string Admin = "/admin";
    public const string Account = "/account";
    public const string DeliveryIndex = "/delivery";
    public const string Catalog = "/catalog";

    public static string Team(string team) => $"/teams/{Uri.EscapeDataString(team)}";
    public static string App(string app) => $"/apps/{Uri.EscapeDataString(app)}";
    public static string NewApp(string? team = null) => team is null ? "/apps/new" : $"/apps/new?team={Uri.EscapeDataString(team)}";
    public static string EditApp(string app) => $"/apps/{Uri.EscapeDataString(app)}/edit";
    public static string Environment(string app, string env) => $"/apps/{Uri.EscapeDataString(app)}/environments/{Uri.EscapeDataString(env)}";
    public static string Workload(string app, string env) => Environment(app, env) + "/workload";
    /// <summary>An entry of a git catalog (<c>{source}/{entry}</c>) keeps its slash: it has a route of its own.</summary>
    public static string CatalogEntry(string id) => "/catalog/" + string.Join("/", id.Split('/').Select(Uri.EscapeDataString));
    public static string Plan(Guid id) => $"/plans/{id}";
    public static string Delivery(string team) => $"/teams/{Uri.EscapeDataString(team)}/delivery";
    /// <summary>A ticket's page; <paramref name="team"/> tells it apart when several teams have the same key.</summary>
    public static string Ticket(string key, string? team = null) =>
        team is null ? $"/tickets/{Uri.EscapeDataString(key)}" : $"/tickets/{Uri.EscapeDataString(key)}?team={Uri.EscapeDataString(team)}";
}
