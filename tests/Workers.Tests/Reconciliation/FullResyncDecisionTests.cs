using Paddock.Domain.Backends;
using Paddock.Domain.Environments;
using Paddock.Workers.Reconciliation;

namespace Paddock.Workers.Tests.Reconciliation;

/// <summary>Which environments a full resync hands to a real (locked, re-observed) reconcile: pure, no engine.</summary>
public sealed class FullResyncDecisionTests
{
    private static readonly Guid Environment = Guid.NewGuid();
    private static readonly Guid Deployment = Guid.NewGuid();

    private static EnvironmentRow Row(string health = "Healthy", string? reason = null, string status = "Running") =>
        new(Environment, "docker", status, health, reason, Deployment, "localhost/app:1", 1);

    private static ObservedState Observed(InstanceState state = InstanceState.Running, Guid? deployment = null) =>
        new(Environment, [new ObservedInstance("c1", "app-dev-1", deployment ?? Deployment, "localhost/app:1", state, null, null, new Dictionary<string, string>())]);

    [Fact]
    public void A_healthy_environment_that_runs_what_it_should_needs_nothing() =>
        Assert.False(FullResync.NeedsLook(Row(), Observed()));

    [Fact]
    public void An_exited_instance_needs_a_reconcile() =>
        Assert.True(FullResync.NeedsLook(Row(), Observed(InstanceState.Exited)));

    [Fact]
    public void Drift_that_went_away_needs_a_reconcile_to_clear_the_recorded_reason() =>
        Assert.True(FullResync.NeedsLook(Row("Missing", AppEnvironment.DriftReasonPrefix + "gone"), Observed()));

    [Fact]
    public void A_crash_looping_environment_is_left_alone_until_its_next_deployment() =>
        Assert.False(FullResync.NeedsLook(Row("Degraded", AppEnvironment.CrashLoopReasonPrefix + "x"), Observed(InstanceState.Exited)));

    [Fact]
    public void An_environment_without_a_running_deployment_needs_a_look_only_for_strays()
    {
        var failed = Row(status: "Failed") with { DeploymentId = null, Image = null, Replicas = null };
        Assert.False(FullResync.NeedsLook(failed, new ObservedState(Environment, [])));
        Assert.True(FullResync.NeedsLook(failed, Observed(deployment: Guid.NewGuid())));
    }
}
