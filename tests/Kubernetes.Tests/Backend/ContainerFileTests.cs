using System.Text;
using System.Text.Json.Nodes;
using Paddock.Domain.Backends;
using Paddock.Testing.FakeApiServer;

namespace Paddock.Backends.Kubernetes.Tests.Backend;

/// <summary>Score's <c>files</c> on Kubernetes: a ConfigMap (a Secret for files that took a secret's value), each file
/// one key, mounted at its target with subPath and its mode; a changed file rolls the pods.</summary>
public sealed class ContainerFileTests : FakeClusterTest
{
    private static ContainerFileSpec File(string target, string mode, string content, bool secret = false) =>
        new(target, Convert.ToInt32(mode, 8), Encoding.UTF8.GetBytes(content), secret);

    private static WorkloadSpec WithFiles() => Spec() with
    {
        Files = [File("/etc/app/app.conf", "0640", "greeting = hello\n"), File("/etc/app/db.conf", "0600", "password = s3cret-in-a-file\n", secret: true)],
        Sidecars = [new SidecarSpec { Name = "helper", Image = "registry.example/helper:3", Files = [File("/srv/helper.txt", "0644", "helper's file\n")] }],
    };

    [Fact]
    public async Task Files_are_a_configmap_and_a_secret_mounted_into_their_containers_with_subpath_and_mode()
    {
        var spec = WithFiles();

        var result = await Within(TimeSpan.FromSeconds(15), Backend().ApplyAsync(spec, new EventRecorder(), CancellationToken.None));

        Assert.True(result.Succeeded, result.Failure?.Reason);
        var ns = spec.ResourceName.Value;
        var configMap = Cluster.Store.Get(ResourceTypes.ConfigMaps, ns, "files")!;
        Assert.Equal(["app-0", "helper-0"], configMap["binaryData"]!.AsObject().Select(p => p.Key));
        Assert.Equal("greeting = hello\n", Decoded(configMap["binaryData"]!["app-0"]!));
        var secret = Cluster.Store.Get(ResourceTypes.Secrets, ns, "secret-files")!;
        Assert.Equal("password = s3cret-in-a-file\n", Decoded(secret["data"]!["app-1"]!));
        Assert.DoesNotContain("s3cret-in-a-file", configMap.ToJsonString());

        var deployment = Cluster.Store.Get(ResourceTypes.Deployments, ns, "shop")!;
        Assert.DoesNotContain("s3cret-in-a-file", deployment.ToJsonString());
        var pod = deployment["spec"]!["template"]!["spec"]!;
        var volumes = pod["volumes"]!.AsArray();
        var files = Assert.Single(volumes, v => v!["name"]!.GetValue<string>() == "files")!;
        Assert.Equal([("app-0", 0b110_100_000), ("helper-0", 0b110_100_100)],
            files["configMap"]!["items"]!.AsArray().Select(i => (i!["key"]!.GetValue<string>(), i["mode"]!.GetValue<int>())));
        var secretFiles = Assert.Single(volumes, v => v!["name"]!.GetValue<string>() == "secret-files")!;
        Assert.Equal("secret-files", secretFiles["secret"]!["secretName"]!.GetValue<string>());
        Assert.Equal(0b110_000_000, secretFiles["secret"]!["items"]![0]!["mode"]!.GetValue<int>());
        var containers = pod["containers"]!.AsArray();
        Assert.Equal([("files", "/etc/app/app.conf", "app-0"), ("secret-files", "/etc/app/db.conf", "app-1")], Mounts(containers[0]!));
        Assert.Equal([("files", "/srv/helper.txt", "helper-0")], Mounts(containers[1]!));
    }

    [Fact]
    public async Task A_changed_file_changes_the_pod_template_so_pods_are_replaced()
    {
        var spec = WithFiles();
        var backend = Backend();
        Assert.True((await Within(TimeSpan.FromSeconds(15), backend.ApplyAsync(spec, new EventRecorder(), CancellationToken.None))).Succeeded);
        var ns = spec.ResourceName.Value;
        var before = Cluster.Store.Get(ResourceTypes.Deployments, ns, "shop")!["spec"]!["template"]!.ToJsonString();

        var changed = spec with { DeploymentId = Guid.CreateVersion7(), Files = [spec.Files[0], File("/etc/app/db.conf", "0600", "password = rotated\n", secret: true)] };
        var result = await Within(TimeSpan.FromSeconds(15), backend.ApplyAsync(changed, new EventRecorder(), CancellationToken.None));

        Assert.True(result.Succeeded, result.Failure?.Reason);
        Assert.NotEqual(before, Cluster.Store.Get(ResourceTypes.Deployments, ns, "shop")!["spec"]!["template"]!.ToJsonString());
        Assert.Equal("password = rotated\n", Decoded(Cluster.Store.Get(ResourceTypes.Secrets, ns, "secret-files")!["data"]!["app-1"]!));
    }

    [Fact]
    public async Task Files_removed_from_the_workload_take_their_configmap_and_secret_with_them()
    {
        var spec = WithFiles();
        var backend = Backend();
        Assert.True((await Within(TimeSpan.FromSeconds(15), backend.ApplyAsync(spec, new EventRecorder(), CancellationToken.None))).Succeeded);
        var ns = spec.ResourceName.Value;

        var withoutSecretFiles = spec with { DeploymentId = Guid.CreateVersion7(), Files = [spec.Files[0]] };
        Assert.True((await Within(TimeSpan.FromSeconds(15), backend.ApplyAsync(withoutSecretFiles, new EventRecorder(), CancellationToken.None))).Succeeded);
        Assert.NotNull(Cluster.Store.Get(ResourceTypes.ConfigMaps, ns, "files"));
        Assert.Null(Cluster.Store.Get(ResourceTypes.Secrets, ns, "secret-files"));

        var withoutFiles = spec with { DeploymentId = Guid.CreateVersion7(), Files = [], Sidecars = [spec.Sidecars[0] with { Files = [] }] };
        var result = await Within(TimeSpan.FromSeconds(15), backend.ApplyAsync(withoutFiles, new EventRecorder(), CancellationToken.None));

        Assert.True(result.Succeeded, result.Failure?.Reason);
        Assert.Null(Cluster.Store.Get(ResourceTypes.ConfigMaps, ns, "files"));
        Assert.NotNull(Cluster.Store.Get(ResourceTypes.ConfigMaps, ns, "variables"));
    }

    [Fact]
    public async Task The_fake_kubelet_does_not_start_a_pod_whose_files_configmap_is_missing()
    {
        var spec = WithFiles();
        Assert.True((await Within(TimeSpan.FromSeconds(15), Backend().ApplyAsync(spec, new EventRecorder(), CancellationToken.None))).Succeeded);
        var ns = spec.ResourceName.Value;

        Cluster.Store.Delete(ResourceTypes.ConfigMaps, ns, "files");
        Cluster.Store.Update(ResourceTypes.Deployments, ns, "shop", live => live["spec"]!["template"]!["metadata"]!["annotations"]!["restartedAt"] = "now");

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!Cluster.Store.List(ResourceTypes.Pods, ns, LabelSelector.Everything).Items.Any(p =>
                   p["status"]?["containerStatuses"]?[0]?["state"]?["waiting"]?["reason"]?.GetValue<string>() == "ContainerCreating"))
        {
            Assert.True(DateTime.UtcNow < deadline, "no pod waits in ContainerCreating");
            await Task.Delay(100);
        }
    }

    private static string Decoded(JsonNode base64) => Encoding.UTF8.GetString(Convert.FromBase64String(base64.GetValue<string>()));

    private static List<(string, string, string)> Mounts(JsonNode container) =>
        container["volumeMounts"]!.AsArray().Select(m => (m!["name"]!.GetValue<string>(), m["mountPath"]!.GetValue<string>(), m["subPath"]!.GetValue<string>())).ToList();
}
