using Microsoft.EntityFrameworkCore;
using Paddock.Persistence;

namespace Paddock.Workers.Deployments;

/// <summary>Whether a deployment must stop: it was asked to cancel, or its environment is being deleted (or is gone).
/// Defined once, in the database (<c>deployment_stop_reason</c>, migration DeploymentStopReason), because two readers
/// need it: the job between its steps, here, and the edge switch's statement, which refuses to point traffic at a
/// deployment that must stop.</summary>
public static class DeploymentStop
{
    /// <summary>The job's reason for stopping, or null while the deployment may go on.</summary>
    public static async Task<string?> ReasonAsync(PaddockDbContext db, Guid deploymentId)
    {
        var code = await db.Database.SqlQuery<string?>($"""SELECT deployment_stop_reason({deploymentId}) AS "Value" """).SingleAsync();
        return code switch
        {
            null => null,
            "environment-deleted" => DeployJob.EnvironmentDeleted,
            "cancel-requested" => DeployJob.CancelRequested,
            _ => throw new InvalidOperationException($"deployment_stop_reason returned '{code}', which this version does not know."),
        };
    }
}
