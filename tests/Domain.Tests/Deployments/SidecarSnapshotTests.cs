using System.Text.Json;
using Paddock.Domain.Applications;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;
using Paddock.Domain.Names;

namespace Paddock.Domain.Tests.Deployments;

public sealed class SidecarSnapshotTests
{
    private static readonly DateTime Now = new(2026, 12, 7, 8, 0, 0, DateTimeKind.Utc);

    private static SidecarContainer Helper(string image = "localhost/helper:1") =>
        new("helper", image, null, ["--port", "8081"], new Dictionary<string, string> { ["PORT"] = "8081" }, [], ResourceLimits.None);

    private static (Application App, AppEnvironment Env) Shop()
    {
        var app = new Application(AppName.Parse("shop"), Guid.NewGuid(), "localhost/shop:1", 8080, Now);
        return (app, new AppEnvironment(app, EnvironmentName.Parse("dev"), Stage.Development, "docker", "test", Now));
    }

    [Fact]
    public void A_snapshot_carries_the_apps_sidecars_and_differs_in_settings_when_they_change()
    {
        var (app, env) = Shop();
        app.Sidecars = [Helper()];

        var snapshot = DeploymentSnapshot.Of(app, env, []);

        Assert.Equal("localhost/helper:1", Assert.Single(snapshot.Sidecars!).Image);
        app.Sidecars = [Helper()];
        Assert.True(DeploymentSnapshot.Of(app, env, []).SameSettingsAs(snapshot));
        app.Sidecars = [Helper("localhost/helper:2")];
        Assert.False(DeploymentSnapshot.Of(app, env, []).SameSettingsAs(snapshot));
        app.Sidecars = [];
        Assert.False(DeploymentSnapshot.Of(app, env, []).SameSettingsAs(snapshot));
    }

    [Fact]
    public void A_one_container_snapshot_is_written_as_before_sidecars_existed_and_reads_back_without_them()
    {
        var (app, env) = Shop();
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);

        var json = JsonSerializer.Serialize(DeploymentSnapshot.Of(app, env, []), options);

        Assert.DoesNotContain("sidecars", json);
        Assert.Null(JsonSerializer.Deserialize<DeploymentSnapshot>(json, options)!.Sidecars);
    }
}
