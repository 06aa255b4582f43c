namespace Paddock.Domain.Backends;

/// <summary>Reports a deployment's progress, stamped with the clock and the deployment's ids: shared by every backend.</summary>
public sealed class DeploymentEvents(WorkloadSpec spec, IProgress<BackendEvent> progress, TimeProvider clock)
{
    public void Info(BackendEventPhase phase, string message, string? instance = null) =>
        Report(phase, message, BackendEventLevel.Info, instance);

    public void Warning(BackendEventPhase phase, string message, string? instance = null) =>
        Report(phase, message, BackendEventLevel.Warning, instance);

    public void Error(BackendEventPhase phase, string message, string? instance = null) =>
        Report(phase, message, BackendEventLevel.Error, instance);

    private void Report(BackendEventPhase phase, string message, BackendEventLevel level, string? instance) =>
        progress.Report(new BackendEvent(clock.GetUtcNow().UtcDateTime, spec.EnvironmentId, phase, message, level)
        {
            DeploymentId = spec.DeploymentId,
            InstanceName = instance,
        });
}
