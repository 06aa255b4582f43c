namespace Paddock.Edge;

/// <summary>Configuration section <c>Edge</c>. The portal and workers read the same section to name URLs and to
/// time a switch; the edge itself only needs the reload and diagnostics settings.</summary>
public sealed class EdgeOptions
{
    public const string Section = "Edge";

    /// <summary>Upper bound on how stale the routes can get if every notice were lost: a full reload this often.</summary>
    public int FullReloadSeconds { get; set; } = 30;

    /// <summary>Serve <c>GET /_edge/routes</c> (the route table as the edge sees it).</summary>
    public bool ShowRoutes { get; set; }
}
