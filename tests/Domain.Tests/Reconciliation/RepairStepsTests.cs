using Paddock.Domain.Backends;
using Paddock.Domain.Reconciliation;

namespace Paddock.Domain.Tests.Reconciliation;

/// <summary>The shape of a repair the rollout runs (remove first → apply again → route → retire the rest), as each kind
/// of backend picks it.</summary>
public sealed class RepairStepsTests
{
    private static readonly Guid Env = Guid.NewGuid();
    private static readonly Guid Current = Guid.NewGuid();
    private static readonly Guid Older = Guid.NewGuid();
    private const string Image = "localhost/paddock-demo:2";

    private static ObservedInstance Instance(string name, Guid? deployment, InstanceState state = InstanceState.Running, long? exitCode = null) =>
        new(name, name, deployment, Image, state, exitCode, new HostEndpoint("127.0.0.1", 30000), new Dictionary<string, string>());

    private static ReconcilePlan Plan(int replicas, params ObservedInstance[] instances) =>
        ReconcileDecision.Decide(new DesiredState(Env, Current, Image, replicas), new ObservedState(Env, instances));

    [Fact]
    public void Instance_by_instance_a_crashed_instance_goes_before_the_apply_and_traffic_is_routed_again()
    {
        var crashed = Instance("a-1", Current, InstanceState.Exited, exitCode: 137);

        var steps = RepairSteps.InstanceByInstance(Plan(1, crashed), Current);

        Assert.Equal([crashed], steps.RemoveFirst);
        Assert.True(steps.ApplyAgain);
        Assert.True(steps.Reroute);
        Assert.Empty(steps.RemoveAfter);
        Assert.Equal("instance a-1 exited with code 137; started a replacement", steps.Description);
    }

    [Fact]
    public void Instance_by_instance_a_surplus_instance_of_the_current_deployment_is_routed_away_from_then_removed_without_an_apply()
    {
        var extra = Instance("a-2", Current);

        var steps = RepairSteps.InstanceByInstance(Plan(1, Instance("a-1", Current), extra), Current);

        Assert.Empty(steps.RemoveFirst);
        Assert.False(steps.ApplyAgain);
        Assert.True(steps.Reroute);
        Assert.Equal([extra], steps.RemoveAfter);
    }

    [Fact]
    public void Instance_by_instance_a_stray_of_another_deployment_is_removed_and_traffic_left_alone()
    {
        var stray = Instance("b-1", Older);

        var steps = RepairSteps.InstanceByInstance(Plan(1, Instance("a-1", Current), stray), Current);

        Assert.False(steps.ApplyAgain);
        Assert.False(steps.Reroute);
        Assert.Equal([stray], steps.RemoveAfter);
    }

    [Fact]
    public void Applied_again_whole_the_controllers_instances_are_left_to_it_and_only_other_deployments_instances_are_removed()
    {
        var crashed = Instance("a-1", Current, InstanceState.Exited, exitCode: 1);
        var extra = Instance("a-2", Current);
        var stray = Instance("b-1", Older);

        var steps = RepairSteps.ApplyAgainWhole(Plan(1, crashed, extra, stray), Current);

        Assert.Empty(steps.RemoveFirst);
        Assert.True(steps.ApplyAgain);
        Assert.True(steps.Reroute);
        Assert.Equal([stray], steps.RemoveAfter);
        Assert.EndsWith("; applied the deployment again", steps.Description);
        Assert.Contains("instance b-1 belongs to deployment", steps.Description);
    }
}
