using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Backends;
using Paddock.Domain.Deployments;
using Paddock.Workers.Tests.Infrastructure;

namespace Paddock.Workers.Tests.Deployments;

/// <summary>An engine quotes what it refuses; a secret value in that text must not reach anything users or the
/// database keep.</summary>
[Collection(WorkerCollection.Name)]
public sealed class SecretRedactionTests(WorkerWorld world)
{
    // Saved past the API (which now refuses control characters), as an older Paddock could have: the engine refuses
    // the NUL and quotes the variable in its error.
    private const string Value = "tokn\0en-secret-value-77";

    [Fact]
    public async Task A_secret_value_in_an_engine_error_never_reaches_the_failure_reason_the_events_or_the_audit_trail()
    {
        var environment = await world.CreateEnvironmentAsync(secrets: new Dictionary<string, string> { ["API_KEY"] = Value });
        var deploymentId = await world.QueueDeploymentAsync(environment.Id);

        await world.DeployAsync(deploymentId);

        var deployment = await world.DeploymentAsync(deploymentId);
        Assert.Equal(DeploymentStatus.Failed, deployment.Status);
        // The engine did quote it: what it said is there, the value is not.
        Assert.Contains(SecretRedactor.Mark, deployment.FailureReason);
        var texts = new List<string?> { deployment.FailureReason, (await world.EnvironmentAsync(environment.Id)).StatusReason };
        texts.AddRange((await world.EventsAsync(environment.Id)).Select(e => e.Message));
        texts.AddRange(await world.WithDb(db => db.AuditEvents.AsNoTracking()
            .Where(a => a.TargetId == deploymentId.ToString())
            .Select(a => (a.Before ?? "") + (a.After ?? ""))
            .ToListAsync()));
        Assert.All(texts, text =>
        {
            Assert.DoesNotContain("en-secret-value-77", text ?? "");
            Assert.DoesNotContain("tokn", text ?? "");
        });
    }
}
