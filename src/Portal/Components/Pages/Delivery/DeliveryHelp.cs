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
}
