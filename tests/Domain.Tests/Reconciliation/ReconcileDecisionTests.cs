using Paddock.Domain.Backends;
using Paddock.Domain.Environments;
using Paddock.Domain.Reconciliation;

namespace Paddock.Domain.Tests.Reconciliation;

public sealed class ReconcileDecisionTests
{
    private static readonly Guid Env = Guid.NewGuid();
    private static readonly Guid Current = Guid.NewGuid();
    private static readonly Guid Older = Guid.NewGuid();
    private const string Image = "localhost/paddock-demo:2";

    private static DesiredState Desired(int replicas = 1) => new(Env, Current, Image, replicas);

    private static ObservedInstance Instance(string name, Guid? deployment, InstanceState state = InstanceState.Running, string image = Image, long? exitCode = null) =>
        new(name, name, deployment, image, state, exitCode, new HostEndpoint("127.0.0.1", 30000), new Dictionary<string, string>());

    private static ReconcilePlan Decide(DesiredState? desired, params ObservedInstance[] instances) =>
        ReconcileDecision.Decide(desired, new ObservedState(Env, instances));

    [Fact]
    public void Matching_state_needs_nothing_and_is_healthy_and_in_sync()
    {
        var plan = Decide(Desired(2), Instance("a-1", Current), Instance("a-2", Current));
        Assert.True(plan.NothingToDo);
        Assert.Equal(EnvironmentHealth.Healthy, plan.Health);
        Assert.Equal(EnvironmentSync.InSync, plan.Sync);
        Assert.Null(plan.Reason);
    }

    [Fact]
    public void A_removed_instance_is_created_again()
    {
        var plan = Decide(Desired(2), Instance("a-1", Current));
        var create = Assert.IsType<CreateMissing>(Assert.Single(plan.Actions));
        Assert.Equal(1, create.Count);
        Assert.Equal(EnvironmentHealth.Degraded, plan.Health);
        Assert.Equal(EnvironmentSync.OutOfSync, plan.Sync);
    }

    [Fact]
    public void Nothing_running_at_all_is_missing()
    {
        var plan = Decide(Desired(1));
        Assert.Equal(1, Assert.IsType<CreateMissing>(Assert.Single(plan.Actions)).Count);
        Assert.Equal(EnvironmentHealth.Missing, plan.Health);
    }

    [Theory]
    [InlineData(InstanceState.Exited, "exited with code 137")]
    [InlineData(InstanceState.Created, "never started")]
    [InlineData(InstanceState.Restarting, "is restarting")]
    public void A_killed_or_stopped_instance_is_replaced_and_the_reason_says_why(InstanceState state, string reason)
    {
        var plan = Decide(Desired(), Instance("a-1", Current, state, exitCode: 137));
        var replace = Assert.IsType<Replace>(Assert.Single(plan.Actions));
        Assert.Contains(reason, replace.Reason);
        Assert.Equal(EnvironmentHealth.Missing, plan.Health);
    }

    [Fact]
    public void An_instance_in_a_state_only_its_runtime_names_is_replaced_and_the_reason_uses_the_runtimes_word()
    {
        var paused = Instance("a-1", Current, InstanceState.Unknown) with { RuntimeState = "paused" };
        var replace = Assert.IsType<Replace>(Assert.Single(Decide(Desired(), paused).Actions));
        Assert.EndsWith("a-1 is paused", replace.Reason);
    }

    [Fact]
    public void An_instance_swapped_out_of_band_for_another_image_is_replaced()
    {
        var plan = Decide(Desired(), Instance("a-1", Current, image: "localhost/paddock-demo:1"));
        var replace = Assert.IsType<Replace>(Assert.Single(plan.Actions));
        Assert.Contains("instead of localhost/paddock-demo:2", replace.Reason);
    }

    [Fact]
    public void A_stray_with_the_environments_labels_from_another_deployment_is_removed()
    {
        var plan = Decide(Desired(), Instance("a-1", Current), Instance("old-1", Older));
        Assert.Equal("old-1", Assert.IsType<Remove>(Assert.Single(plan.Actions)).Instance.Name);
    }

    [Fact]
    public void An_instance_with_an_unreadable_deployment_label_is_a_stray()
    {
        var plan = Decide(Desired(), Instance("a-1", Current), Instance("x", null));
        Assert.Equal("x", Assert.IsType<Remove>(Assert.Single(plan.Actions)).Instance.Name);
    }

    [Fact]
    public void Instances_beyond_the_replica_count_are_removed()
    {
        var plan = Decide(Desired(1), Instance("a-1", Current), Instance("a-2", Current));
        Assert.Equal("a-2", Assert.IsType<Remove>(Assert.Single(plan.Actions)).Instance.Name);
    }

    [Fact]
    public void Broken_instances_are_replaced_only_while_replica_slots_remain()
    {
        var plan = Decide(Desired(1), Instance("a-1", Current, InstanceState.Exited, exitCode: 1), Instance("a-2", Current, InstanceState.Exited, exitCode: 1));
        Assert.Single(plan.Actions.OfType<Replace>());
        Assert.Single(plan.Actions.OfType<Remove>());
        Assert.Empty(plan.Actions.OfType<CreateMissing>());
    }

    [Fact]
    public void A_healthy_instance_is_kept_when_a_broken_one_of_the_same_deployment_exists()
    {
        var plan = Decide(Desired(1), Instance("a-1", Current, InstanceState.Exited, exitCode: 1), Instance("a-2", Current));
        Assert.Equal("a-1", Assert.IsType<Remove>(Assert.Single(plan.Actions)).Instance.Name);
        Assert.Equal(EnvironmentHealth.Degraded, plan.Health);
    }

    [Fact]
    public void Zero_replicas_wants_nothing_running()
    {
        var plan = Decide(Desired(0), Instance("a-1", Current));
        Assert.IsType<Remove>(Assert.Single(plan.Actions));
    }

    [Fact]
    public void Without_a_succeeded_deployment_every_labelled_instance_is_a_stray()
    {
        var plan = Decide(null, Instance("a-1", Older));
        Assert.IsType<Remove>(Assert.Single(plan.Actions));
        Assert.True(Decide(null).NothingToDo);
    }

    [Fact]
    public void Instances_of_a_retiring_deployment_are_neither_drift_nor_strays_whatever_their_state()
    {
        var retiring = new HashSet<Guid> { Older };
        var plan = ReconcileDecision.Decide(Desired(1), new ObservedState(Env,
            [Instance("a-1", Current), Instance("old-1", Older), Instance("old-2", Older, InstanceState.Exited, exitCode: 137)]), retiring);
        Assert.True(plan.NothingToDo);
        Assert.Equal(EnvironmentHealth.Healthy, plan.Health);
        Assert.Equal(["old-1", "old-2"], plan.Retiring.Select(i => i.Name));
    }

    [Fact]
    public void Retiring_instances_do_not_fill_the_current_deployments_replicas()
    {
        var plan = ReconcileDecision.Decide(Desired(1), new ObservedState(Env, [Instance("old-1", Older)]), new HashSet<Guid> { Older });
        Assert.Equal(1, Assert.IsType<CreateMissing>(Assert.Single(plan.Actions)).Count);
        Assert.Equal(EnvironmentHealth.Missing, plan.Health);
    }

    [Fact]
    public void Without_a_current_deployment_retiring_instances_are_still_left_to_their_retirement()
    {
        var plan = ReconcileDecision.Decide(null, new ObservedState(Env, [Instance("old-1", Older)]), new HashSet<Guid> { Older });
        Assert.True(plan.NothingToDo);
    }

    [Fact]
    public void The_only_instance_exited_is_an_outage_with_no_instance_serving_and_the_exit_code()
    {
        var outage = Decide(Desired(), Instance("a-1", Current, InstanceState.Exited, exitCode: 137)).Outage;

        Assert.NotNull(outage);
        Assert.Equal((EnvironmentHealth.Missing, 0, 1), (outage.Health, outage.Serving, outage.Wanted));
        Assert.Equal("0 of 1 instance(s) serve: a-1 exited with code 137", outage.Describe());
    }

    [Fact]
    public void One_of_two_instances_exited_is_a_degraded_outage_naming_only_that_instance()
    {
        var outage = Decide(Desired(2), Instance("a-1", Current), Instance("a-2", Current, InstanceState.Exited, exitCode: 1)).Outage;

        Assert.NotNull(outage);
        Assert.Equal((EnvironmentHealth.Degraded, 1, 2), (outage.Health, outage.Serving, outage.Wanted));
        Assert.Equal("a-2 exited with code 1", outage.Reason);
    }

    [Fact]
    public void A_removed_instance_is_an_outage_that_counts_what_is_missing()
    {
        var outage = Decide(Desired(1)).Outage;

        Assert.NotNull(outage);
        Assert.Equal(EnvironmentHealth.Missing, outage.Health);
        Assert.Equal("1 of 1 instance(s) missing", outage.Reason);
    }

    [Fact]
    public void Strays_extras_and_retiring_instances_take_nothing_from_the_users_and_are_no_outage()
    {
        Assert.Null(Decide(Desired(), Instance("a-1", Current), Instance("old-1", Older)).Outage);
        Assert.Null(Decide(Desired(1), Instance("a-1", Current), Instance("a-2", Current)).Outage);
        Assert.Null(Decide(Desired(1), Instance("a-1", Current), Instance("a-2", Current, InstanceState.Exited, exitCode: 0)).Outage);
        Assert.Null(ReconcileDecision.Decide(Desired(1), new ObservedState(Env,
            [Instance("a-1", Current), Instance("old-1", Older, InstanceState.Exited, exitCode: 137)]), new HashSet<Guid> { Older }).Outage);
        Assert.Null(Decide(Desired(2), Instance("a-1", Current), Instance("a-2", Current)).Outage);
    }
}
