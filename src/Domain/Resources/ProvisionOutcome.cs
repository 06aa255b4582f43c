namespace Paddock.Domain.Resources;

/// <summary>What a provision answered: the outputs split into plain values and secrets (stored encrypted, injected
/// only into containers), opaque state for the next call, or why it failed.</summary>
public sealed record ProvisionOutcome
{
    public IReadOnlyDictionary<string, string> Values { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();
    public string? State { get; init; }
    public string? Failure { get; init; }

    public bool Succeeded => Failure is null;

    public static ProvisionOutcome Ready(IReadOnlyDictionary<string, string> values, IReadOnlyDictionary<string, string> secrets, string? state = null) =>
        new() { Values = values, Secrets = secrets, State = state };

    public static ProvisionOutcome Failed(string reason) => new() { Failure = reason };
}

/// <summary>What a deprovision answered: done (the resource is gone, or was already), or why not.</summary>
public sealed record DeprovisionOutcome(string? Failure, string? SnapshotPath = null)
{
    public bool Succeeded => Failure is null;

    public static DeprovisionOutcome Done(string? snapshotPath = null) => new(null, snapshotPath);

    public static DeprovisionOutcome Failed(string reason) => new(reason);
}

/// <summary>Whether a provisioned resource is there; <see cref="ResourcePresence.Unknown"/> when its server cannot
/// be asked (never drift: nothing is recreated on an unreachable server).</summary>
public sealed record ResourceObservation(ResourcePresence Presence, string? Reason = null);

public enum ResourcePresence
{
    Present,
    Missing,
    Unknown,
}
