using Paddock.Domain.Deployments;

namespace Paddock.Portal.Features.Environments;

/// <summary>One environment event, as the SSE stream's <c>data:</c> and the JSON list carry it.</summary>
public sealed record EnvironmentEventView(long Sequence, DateTime At, Guid? DeploymentId, string Phase, EventLevel Level, string Message)
{
    public static EnvironmentEventView Of(EnvironmentEvent e) => new(e.Sequence, e.At, e.DeploymentId, e.Phase, e.Level, e.Message);
}

/// <summary>A log line of one of the environment's instances.</summary>
public sealed record LogLineView(string Instance, string Stream, DateTime? At, string Text);

