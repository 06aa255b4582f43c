using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Paddock.Domain.Deployments;
using Paddock.Domain.Reconciliation;
using Paddock.Persistence;
using Paddock.Persistence.Events;

namespace Paddock.Workers.Reconciliation;

/// <summary>Says that an environment's instances stopped serving, as soon as the reconciler has seen it: Health
/// Missing or Degraded with the reason, and a <c>down</c> event (which wakes the UI and the SSE streams), in one
/// transaction. It writes beside the repair, on a scope and connection of its own, so the repair never waits for it;
/// the reconciler awaits it only before writing its own result (which then comes after it, as it happened).</summary>
public sealed class OutageAnnouncer(IServiceScopeFactory scopes, ILogger<OutageAnnouncer> logger)
{
    public const string DownPhase = "down";

    /// <summary>Starts the write and returns at once. The task answers whether the environment's row changed (a copy
    /// the caller read before is then stale); it never fails: a write that cannot be made only leaves the page as it
    /// was until the repair's own record.</summary>
    public Task<bool> Start(Guid environmentId, Guid deploymentId, Outage outage, CancellationToken ct) =>
        Task.Run(() => WriteAsync(environmentId, deploymentId, outage, ct), CancellationToken.None);

    private async Task<bool> WriteAsync(Guid environmentId, Guid deploymentId, Outage outage, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PaddockDbContext>();
            var environment = await db.Environments.SingleOrDefaultAsync(e => e.Id == environmentId, ct);
            var words = $"{outage.Describe()}; repairing";
            if (environment is null || environment.CurrentDeploymentId != deploymentId || !environment.InstancesDown(outage.Health, words))
                return false;
            await scope.ServiceProvider.GetRequiredService<EnvironmentEventLog>()
                .AppendAsync(environmentId, deploymentId, DownPhase, EventLevel.Warning, $"{Capitalised(words)}.", ct);
            return true;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception e)
        {
            logger.LogWarning("Could not record that environment {EnvironmentId} is down: {Reason}", environmentId, e.Message);
            return false;
        }
    }

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
