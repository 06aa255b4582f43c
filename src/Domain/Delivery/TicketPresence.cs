namespace Paddock.Domain.Delivery;

/// <summary>Where a ticket runs now, as opposed to where it has been: an environment runs the ticket when its current
/// deployment is, by revision lineage, at or after the first succeeded deployment there that carried it. A redeploy
/// (rollback) counts as the revision it redeploys, so rolling back past the ticket's deployment takes the ticket out.</summary>
public static class TicketPresence
{
    /// <summary>A deployment of one environment: its revision, and the deployment it redeploys, if any.</summary>
    public sealed record Revision(int Number, Guid? RedeployOf);

    /// <summary>The revision whose content <paramref name="deploymentId"/> runs: its own, or for a redeploy the
    /// (recursively) redeployed one's. An unknown id answers null.</summary>
    public static int? ContentRevision(Guid deploymentId, IReadOnlyDictionary<Guid, Revision> deployments)
    {
        var seen = new HashSet<Guid>();
        var id = deploymentId;
        while (deployments.TryGetValue(id, out var revision) && seen.Add(id))
        {
            if (revision.RedeployOf is not { } earlier || !deployments.ContainsKey(earlier)) return revision.Number;
            id = earlier;
        }
        return null;
    }

    /// <summary>Whether an environment whose current deployment is <paramref name="currentDeploymentId"/> runs a ticket
    /// first brought there (succeeded) by revision <paramref name="firstCarryingRevision"/>.</summary>
    public static bool RunsTicket(int firstCarryingRevision, Guid? currentDeploymentId, IReadOnlyDictionary<Guid, Revision> deployments) =>
        currentDeploymentId is { } current && ContentRevision(current, deployments) >= firstCarryingRevision;
}
