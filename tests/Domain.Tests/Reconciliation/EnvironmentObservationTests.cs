using Paddock.Domain.Applications;
using Paddock.Domain.Environments;
using Paddock.Domain.Names;

namespace Paddock.Domain.Tests.Reconciliation;

public sealed class EnvironmentObservationTests
{
    private static readonly DateTime Now = new(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc);

    private static AppEnvironment Running()
    {
        var app = new Application(AppName.Parse("shop"), Guid.NewGuid(), "localhost/shop:1", 8080, Now);
        var environment = new AppEnvironment(app, EnvironmentName.Parse("dev"), Stage.Development, "docker", "test", Now);
        environment.DeploymentSucceeded(Guid.NewGuid(), "http://shop-dev.localhost:5090/", settingsPending: false);
        return environment;
    }

    [Fact]
    public void Self_heal_is_on_by_default_and_a_change_says_whether_it_changed_anything()
    {
        var environment = Running();

        Assert.True(environment.SelfHeal);
        Assert.False(environment.ChangeSelfHeal(true));
        Assert.True(environment.ChangeSelfHeal(false));
        Assert.False(environment.SelfHeal);
    }

    [Fact]
    public void An_observation_of_a_running_environment_is_recorded_once_and_its_reason_is_known_as_the_reconcilers()
    {
        var environment = Running();

        Assert.True(environment.Observed(EnvironmentHealth.Missing, EnvironmentSync.OutOfSync, AppEnvironment.DriftReasonPrefix + "shop-dev-1 exited"));
        Assert.False(environment.Observed(EnvironmentHealth.Missing, EnvironmentSync.OutOfSync, AppEnvironment.DriftReasonPrefix + "shop-dev-1 exited"));

        Assert.Equal((EnvironmentHealth.Missing, EnvironmentSync.OutOfSync), (environment.Health, environment.Sync));
        Assert.True(environment.ReasonIsObserved);
        environment.DeploymentFailed("image not found");
        Assert.False(environment.ReasonIsObserved);
    }

    [Fact]
    public void Environments_that_are_not_running_take_no_observation()
    {
        var app = new Application(AppName.Parse("shop"), Guid.NewGuid(), "localhost/shop:1", 8080, Now);
        var pending = new AppEnvironment(app, EnvironmentName.Parse("dev"), Stage.Development, "docker", "test", Now);
        var deleting = Running();
        deleting.BeginDeletion();

        Assert.False(pending.Observed(EnvironmentHealth.Healthy, EnvironmentSync.InSync, null));
        Assert.False(deleting.Observed(EnvironmentHealth.Degraded, EnvironmentSync.OutOfSync, AppEnvironment.CrashLoopReasonPrefix + "x"));
        Assert.Equal(EnvironmentStatus.Deleting, deleting.Status);
        Assert.Null(deleting.StatusReason);
    }

    [Fact]
    public void Instances_going_down_set_the_health_and_a_reason_of_the_reconcilers_and_keep_the_sync()
    {
        var environment = Running();

        Assert.True(environment.InstancesDown(EnvironmentHealth.Missing, "0 of 1 instance(s) serve: shop-dev-1 exited with code 137; repairing"));
        Assert.False(environment.InstancesDown(EnvironmentHealth.Missing, "0 of 1 instance(s) serve: shop-dev-1 exited with code 137; repairing"));

        Assert.Equal((EnvironmentStatus.Running, EnvironmentHealth.Missing, EnvironmentSync.InSync),
            (environment.Status, environment.Health, environment.Sync));
        Assert.Equal("Drift: 0 of 1 instance(s) serve: shop-dev-1 exited with code 137; repairing", environment.StatusReason);
        Assert.True(environment.ReasonIsObserved);
    }

    [Fact]
    public void Instances_going_down_replace_an_unobserved_reason_but_keep_a_deployments_own_reason()
    {
        var unobserved = Running();
        unobserved.CannotBeObserved("backend docker does not answer");
        var failedDeploy = Running();
        failedDeploy.DeploymentFailed("deployment #2 failed: image not found");

        Assert.True(unobserved.InstancesDown(EnvironmentHealth.Missing, "shop-dev-1 exited with code 1"));
        Assert.True(failedDeploy.InstancesDown(EnvironmentHealth.Missing, "shop-dev-1 exited with code 1"));

        Assert.Equal(AppEnvironment.DriftReasonPrefix + "shop-dev-1 exited with code 1", unobserved.StatusReason);
        Assert.Equal((EnvironmentHealth.Missing, "deployment #2 failed: image not found"), (failedDeploy.Health, failedDeploy.StatusReason));
    }

    [Fact]
    public void An_environment_that_is_deploying_takes_no_news_of_instances_going_down()
    {
        var deploying = Running();
        deploying.DeploymentStarted();

        Assert.False(deploying.InstancesDown(EnvironmentHealth.Missing, "shop-dev-1 exited with code 137"));
        Assert.Equal(EnvironmentHealth.Progressing, deploying.Health);
    }
}
