using Paddock.Domain.Backends;
using Paddock.Domain.Environments;

namespace Paddock.Domain.Reconciliation;

/// <summary>What should run for an environment: its current succeeded deployment.</summary>
public sealed record DesiredState(Guid EnvironmentId, Guid DeploymentId, string Image, int Replicas);

public abstract record ReconcileAction(string Reason);

/// <summary>Start this many new instances of the desired deployment.</summary>
public sealed record CreateMissing(int Count, string Reason) : ReconcileAction(Reason);

/// <summary>An instance of the desired deployment that no longer serves as it should: remove it and start a new one.</summary>
public sealed record Replace(ObservedInstance Instance, string Reason) : ReconcileAction(Reason);

/// <summary>An instance with Paddock's labels for this environment that is not desired: remove it.</summary>
public sealed record Remove(ObservedInstance Instance, string Reason) : ReconcileAction(Reason);

/// <summary>The decision for one environment: what to do, and how its health and sync look right now.</summary>
public sealed record ReconcilePlan(IReadOnlyList<ReconcileAction> Actions, EnvironmentHealth Health, EnvironmentSync Sync, string? Reason)
{
    public bool NothingToDo => Actions.Count == 0;

    /// <summary>Instances of retiring deployments: left to their retirement, shown, never acted on.</summary>
    public IReadOnlyList<ObservedInstance> Retiring { get; init; } = [];

    /// <summary>What users of the environment's URL meet until the repair is done; null when every wanted instance
    /// serves (a stray or one instance too many takes nothing away from them).</summary>
    public Outage? Outage { get; init; }
}

/// <summary>Fewer instances of the current deployment serve than it wants: <see cref="Health"/> is Missing when none
/// does, Degraded when some do; <see cref="Reason"/> names the instances that stopped (or how many are missing).</summary>
public sealed record Outage(EnvironmentHealth Health, int Serving, int Wanted, string Reason)
{
    /// <summary>In words, for the environment's reason and its event: "0 of 1 instance(s) serve: shop-dev-1 exited with code 137".</summary>
    public string Describe() => $"{Serving} of {Wanted} instance(s) serve: {Reason}";
}
