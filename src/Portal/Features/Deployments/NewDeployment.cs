using Paddock.Domain.Access;
using Paddock.Domain.Applications;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;

namespace Paddock.Portal.Features.Deployments;

/// <summary>What <see cref="DeploymentQueue.AddAsync"/> needs to add a Queued deployment: the environment, the frozen
/// settings and who asked; the rest is set only by the ways of deploying that have it.</summary>
public sealed record NewDeployment(Guid Id, AppEnvironment Environment, DeploymentSnapshot Snapshot, Actor Actor)
{
    /// <summary>Issue keys such as <c>PAY-123</c> this deployment ships.</summary>
    public IReadOnlyList<string> Tickets { get; init; } = [];

    public string? Message { get; init; }

    /// <summary>The earlier deployment whose snapshot this one deploys again (a rollback).</summary>
    public Deployment? RedeployOf { get; init; }

    /// <summary>The app's workload revision the deployment runs (for a redeploy, the earlier deployment's).</summary>
    public Guid? WorkloadRevisionId { get; init; }

    /// <summary>The client's Idempotency-Key: the same key on the same environment answers with the same deployment.</summary>
    public string? IdempotencyKey { get; init; }
}
