namespace Paddock.Domain.Deployments;

public enum EventLevel
{
    Info = 0,
    Warning = 1,
    Error = 2,
}

/// <summary>One step in an environment's life (queued, pulling, started, probe passed, switched, failed, repaired),
/// numbered per environment without gaps so a live stream can resume after the last one it saw.</summary>
public sealed class EnvironmentEvent
{
    public Guid EnvironmentId { get; private set; }
    public long Sequence { get; private set; }
    public DateTime At { get; private set; }
    public Guid? DeploymentId { get; private set; }
    public string Phase { get; private set; } = "";
    public EventLevel Level { get; private set; }
    public string Message { get; private set; } = "";

    private EnvironmentEvent() { }

    public EnvironmentEvent(Guid environmentId, long sequence, DateTime at, Guid? deploymentId, string phase, EventLevel level, string message)
    {
        EnvironmentId = environmentId;
        Sequence = sequence;
        At = at;
        DeploymentId = deploymentId;
        Phase = phase;
        Level = level;
        Message = message.Length > 4000 ? message[..4000] : message;
    }
}
