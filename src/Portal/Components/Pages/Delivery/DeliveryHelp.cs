using Paddock.Domain.Delivery;

namespace Paddock.Portal.Components.Pages.Delivery;

/// <summary>What each number on the delivery dashboard means. The same definitions as README "Delivery measures" and
/// docs/delivery.md; the DORA ones follow the report named by <see cref="DoraReport.Definitions"/>.</summary>
public static class DeliveryHelp
{
    public static string LeadTime(LeadTimeStart start) =>
        $"Per ticket: from {(start == LeadTimeStart.FirstCommit ? "its first commit" : "its creation in the tracker")} to the first succeeded " +
        "deployment that carried it to a production-stage environment. Percentiles (nearest rank: each is a lead time that really " +
        "happened) over the tickets that reached production in the window. A tracker clock ahead of ours counts as zero.";

    public static string Dora(string definitions) =>
        $"The four keys as defined in the {definitions} State of DevOps report, over the production-stage deployments that finished in the window.";

    public const string DeploymentFrequency =
        "Deployment frequency: succeeded deployments to production-stage environments, per day and per week of the window.";

    public const string LeadTimeForChanges =
        "Lead time for changes: from the first commit of each ticket a succeeded production deployment carries to that deployment running in production.";

    public static string ChangeFailureRate(double fixWindowHours) =>
        "Change failure rate: the share of production deployments that failed, were rolled back (a later redeploy of an earlier " +
        $"deployment in the same environment), or were followed within {fixWindowHours:0.#} h in the same environment by a succeeded " +
        "deployment carrying a bug or hotfix ticket or marked as a fix (its message starts with fix:).";

    public const string RecoveryTime =
        "Failed deployment recovery time: from a failed change to the next succeeded production deployment.";

    public const string Trend = "Weekly trend over the window (at most 26 weeks, ending now): succeeded production deployments, change failure rate and median lead time of the tickets delivered that week.";

    public const string SlowestInFlight = "The oldest tickets not yet in production, with the furthest stage a succeeded deployment took them to.";

    /// <summary>What the in-flight list says when it is empty, consistent with the "In flight" count beside it: a
    /// ticket with no known start (no creation time, no first commit) counts as in flight but has no age to rank.</summary>
    public static string NoSlowestInFlight(int inFlight) => inFlight switch
    {
        0 => "Every ticket Paddock knows of is in production.",
        1 => "1 ticket is not in production yet, but it has no known start (creation time or first commit), so it has no age to rank.",
        _ => $"{inFlight} tickets are not in production yet, but none has a known start (creation time or first commit), so none has an age to rank.",
    };

    /// <summary>The note under recovery time: "every failure recovered" only when there was a failure to recover from.</summary>
    public static string RecoveryNote(int recovered, int unrecovered) => (recovered, unrecovered) switch
    {
        (0, 0) => "no failed production deployment in the window, nothing to recover from",
        (_, 0) => $"every failure recovered ({recovered})",
        _ => $"{unrecovered} not recovered yet",
    };
}
