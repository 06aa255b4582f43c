using Paddock.Domain.Applications;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;
using Paddock.Domain.Names;

namespace Paddock.Domain.Tests.Environments;

public sealed class DeployedImageTests
{
    private static readonly DateTime Now = new(2026, 12, 7, 8, 0, 0, DateTimeKind.Utc);
    private static readonly Application App = new(AppName.Parse("shop"), Guid.NewGuid(), "localhost/shop:1", 8080, Now);

    private static AppEnvironment Dev() => new(App, EnvironmentName.Parse("dev"), Stage.Development, "docker", "test", Now);

    [Fact]
    public void Deploying_an_image_makes_it_the_image_the_next_plain_deployment_uses()
    {
        var env = Dev();

        Assert.True(env.AdoptImage("localhost/shop:2", App.Image));

        Assert.Equal("localhost/shop:2", env.ImageOver(App.Image));
        Assert.Equal("localhost/shop:2", DeploymentSnapshot.Of(App, env, []).Image);
    }

    [Fact]
    public void Deploying_the_environments_own_image_again_changes_nothing()
    {
        var env = Dev();

        Assert.False(env.AdoptImage("localhost/shop:1", App.Image));
        Assert.Null(env.Overrides.Image);

        env.AdoptImage("localhost/shop:2", App.Image);
        Assert.False(env.AdoptImage("localhost/shop:2", App.Image));
    }

    [Fact]
    public void A_deployment_of_an_adopted_image_is_in_sync_with_the_settings_it_leaves_behind()
    {
        var env = Dev();
        var running = DeploymentSnapshot.Of(App, env, []);

        env.AdoptImage("localhost/shop:2", App.Image);
        var deployed = DeploymentSnapshot.Of(App, env, []);

        Assert.False(running.SameSettingsAs(DeploymentSnapshot.Of(App, env, [])));
        Assert.True(deployed.SameSettingsAs(DeploymentSnapshot.Of(App, env, [])));
    }
}
