using System.Net;
using System.Text;
using Paddock.Integration.Tests.Applications;
using Paddock.Integration.Tests.Deployments;
using Paddock.Integration.Tests.Infrastructure;
using static Paddock.Integration.Tests.Deployments.DeploymentTestKit;

namespace Paddock.Integration.Tests.Resources;

/// <summary>Workloads with a <c>volume</c> resource mounted into their container, through the plan API on a real
/// database (no worker: the applied plan's deployment stays Queued with its snapshot).</summary>
public sealed class VolumeWorkloadTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task A_workload_mounting_a_volume_plans_it_as_a_create_with_no_class_registered_and_applies_into_the_snapshot()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        var envId = portal.EnvironmentId(app, "dev");

        var planned = await PlanAsync(scenario.Member, app, Workload(app, "readOnly: true", ""));
        await Api.EnsureAsync(planned, HttpStatusCode.Created);
        var plan = await planned.JsonAsync();
        // Nothing runs yet: the container and the volume resource are both added.
        Assert.Equal("Plan: 2 to add, 0 to change, 0 to destroy", plan.GetProperty("summary").GetString());
        var text = plan.GetProperty("text").GetString()!;
        Assert.Contains("data", text);
        Assert.Contains("/data", text);
        var (applied, _) = await scenario.Member.CallAsync(HttpMethod.Post, $"/api/v1/plans/{plan.GetProperty("id").GetGuid()}/apply");
        await Api.EnsureAsync(applied, HttpStatusCode.Accepted);

        var snapshot = portal.DeploymentsOf(envId)[^1].Snapshot;
        var resource = Assert.Single(snapshot.Resources!);
        Assert.Equal(("data", "volume", "default"), (resource.Name, resource.Type, resource.Class));
        var volume = Assert.Single(snapshot.Volumes!);
        Assert.Equal(("data", "/data", true), (volume.Resource, volume.Target, volume.ReadOnly));

        // A deployment started another way keeps the mount.
        var (redeployed, _) = await scenario.Member.CallAsync(HttpMethod.Post, $"{EnvironmentPath(app, "dev")}/deployments", new { message = "again" });
        await Api.EnsureAsync(redeployed, HttpStatusCode.Accepted);
        Assert.Single(portal.DeploymentsOf(envId)[^1].Snapshot.Volumes!);
    }

    [Fact]
    public async Task Params_a_volume_does_not_take_and_a_source_that_is_not_a_volume_resource_are_refused_by_field()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();

        var withParams = await PlanAsync(scenario.Member, app, Workload(app, "readOnly: false", "    params:\n      size: 1Gi\n"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, withParams.StatusCode);
        var errors = (await withParams.JsonAsync()).GetProperty("errors");
        Assert.Contains("A volume resource takes no params", Assert.Single(errors.GetProperty("/resources/data/params/size").EnumerateArray()).GetString());

        var notAVolume = await PlanAsync(scenario.Member, app, Workload(app, "readOnly: false", "").Replace("source: ${resources.data}", "source: /srv/host", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, notAVolume.StatusCode);
        Assert.Contains($"/containers/{app}/volumes/~1data/source", (await notAVolume.JsonAsync()).GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }

    [Fact]
    public async Task One_volume_mounted_into_two_containers_is_applied_with_a_mount_per_container_and_exported_with_both()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        var envId = portal.EnvironmentId(app, "dev");
        var text = Workload(app, "readOnly: false", "").Replace("resources:\n  data:",
            "  backup:\n    image: registry.example.com/shop/backup:1\n    volumes:\n      /backup/data:\n        source: ${resources.data}\n        readOnly: true\n" +
            "resources:\n  data:", StringComparison.Ordinal);
        Assert.Contains("/backup/data", text);

        var planned = await PlanAsync(scenario.Member, app, text);
        await Api.EnsureAsync(planned, HttpStatusCode.Created);
        var plan = await planned.JsonAsync();
        Assert.Contains("volumes./backup/data", plan.GetProperty("text").GetString()!);
        var (applied, _) = await scenario.Member.CallAsync(HttpMethod.Post, $"/api/v1/plans/{plan.GetProperty("id").GetGuid()}/apply");
        await Api.EnsureAsync(applied, HttpStatusCode.Accepted);

        var volumes = portal.DeploymentsOf(envId)[^1].Snapshot.Volumes!;
        Assert.Equal([("data", "/backup/data", true, "backup"), ("data", "/data", false, (string?)null)],
            volumes.Select(v => (v.Resource, v.Target, v.ReadOnly, v.Container)).OrderBy(v => v.Target));
        await portal.MarkSucceededAsync(portal.DeploymentsOf(envId)[^1].Id);
        var replanned = await PlanAsync(scenario.Member, app, text);
        await Api.EnsureAsync(replanned, HttpStatusCode.Created);
        Assert.Equal("Plan: 0 to add, 0 to change, 0 to destroy", (await replanned.JsonAsync()).GetProperty("summary").GetString());
    }

    [Fact]
    public async Task A_volume_path_that_climbs_out_is_refused_and_one_the_environments_backend_cannot_mount_is_refused_with_the_backends_reason()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        var pointer = $"/containers/{app}/volumes/~1data/path";

        var climbing = await PlanAsync(scenario.Member, app, Workload(app, "path: ../other", ""));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, climbing.StatusCode);
        Assert.Contains("without . or .. parts", (await climbing.JsonAsync()).GetProperty("errors").GetProperty(pointer)[0].GetString());

        // The environment runs on the Docker engine backend, which says why it cannot mount a sub-path.
        var subPath = await PlanAsync(scenario.Member, app, Workload(app, "path: sites/main", ""));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, subPath.StatusCode);
        var message = (await subPath.JsonAsync()).GetProperty("errors").GetProperty(pointer)[0].GetString()!;
        Assert.Contains("does not mount a sub-path of a volume", message);
        Assert.Contains("Docker API 1.45", message);
    }

    private static string Workload(string app, string readOnlyLine, string paramsLines) =>
        $"""
        apiVersion: score.dev/v1b1
        metadata:
          name: {app}
        service:
          ports:
            web:
              port: 8080
        containers:
          {app}:
            image: registry.example.com/shop/web:1.0
            volumes:
              /data:
                source: ${"{"}resources.data{"}"}
                {readOnlyLine}
        resources:
          data:
            type: volume

        """ + paramsLines;

    private static Task<HttpResponseMessage> PlanAsync(HttpClient client, string app, string text) =>
        client.PostAsync($"{EnvironmentPath(app, "dev")}/plans", new StringContent(text, Encoding.UTF8, "application/yaml"));
}
