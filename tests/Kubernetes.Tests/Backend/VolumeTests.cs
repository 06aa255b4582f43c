using System.Text.Json.Nodes;
using Paddock.Testing.FakeApiServer;
using Paddock.Domain.Backends;
using Paddock.Domain.Resources;

namespace Paddock.Backends.Kubernetes.Tests.Backend;

/// <summary>The volume seam on a cluster: a PersistentVolumeClaim per volume resource, mounted by the pod template.</summary>
public sealed class VolumeTests : FakeClusterTest
{
    private const string Uid = "rabcdefghijklmnopqrs";

    [Fact]
    public async Task A_volume_is_a_labelled_claim_in_the_environments_namespace_mounted_by_the_pods_and_removed_again()
    {
        var spec = Spec();
        var backend = Backend(configure: o => o.StorageClass = "fast");
        var claim = new VolumeClaim(spec.EnvironmentId, spec.ResourceName, Uid);

        var made = await backend.EnsureVolumeAsync(claim, CancellationToken.None);
        var again = await backend.EnsureVolumeAsync(claim, CancellationToken.None);

        Assert.True(made.Succeeded, made.Failure);
        Assert.Equal(($"volume-{Uid}", $"volume-{Uid}"), (made.Name, again.Name));
        var ns = spec.ResourceName.Value;
        Assert.Equal(spec.EnvironmentId.ToString(), LabelSelector.LabelsOf(Cluster.Store.Get(ResourceTypes.Namespaces, "", ns)!)[KubeLabels.EnvironmentId]);
        var pvc = Cluster.Store.Get(ResourceTypes.PersistentVolumeClaims, ns, made.Name!)!;
        Assert.Equal(Uid, LabelSelector.LabelsOf(pvc)[KubernetesBackend.ResourceUidLabel]);
        Assert.Equal(("fast", "1Gi", "ReadWriteOnce"), (pvc["spec"]!["storageClassName"]!.GetValue<string>(),
            pvc["spec"]!["resources"]!["requests"]!["storage"]!.GetValue<string>(), pvc["spec"]!["accessModes"]![0]!.GetValue<string>()));
        Assert.Equal(ResourcePresence.Present, (await backend.ObserveVolumeAsync(claim, CancellationToken.None)).Presence);

        var applied = await Within(TimeSpan.FromSeconds(15), backend.ApplyAsync(spec with { Volumes = [new VolumeMount(made.Name!, "/data", ReadOnly: true)] },
            new EventRecorder(), CancellationToken.None));

        Assert.True(applied.Succeeded, applied.Failure?.Reason);
        var pod = Cluster.Store.Get(ResourceTypes.Deployments, ns, "shop")!["spec"]!["template"]!["spec"]!;
        Assert.Equal(made.Name, pod["volumes"]![0]!["persistentVolumeClaim"]!["claimName"]!.GetValue<string>());
        var mount = pod["containers"]![0]!["volumeMounts"]![0]!;
        Assert.Equal((made.Name, "/data", true), (mount["name"]!.GetValue<string>(), mount["mountPath"]!.GetValue<string>(), mount["readOnly"]!.GetValue<bool>()));

        var removed = await backend.RemoveVolumeAsync(claim, CancellationToken.None);
        var removedAgain = await backend.RemoveVolumeAsync(claim, CancellationToken.None);

        Assert.True(removed.Succeeded && removedAgain.Succeeded, removed.Failure ?? removedAgain.Failure);
        Assert.Null(Cluster.Store.Get(ResourceTypes.PersistentVolumeClaims, ns, made.Name!));
        Assert.Equal(ResourcePresence.Missing, (await backend.ObserveVolumeAsync(claim, CancellationToken.None)).Presence);
    }

    [Fact]
    public async Task One_claim_mounted_into_the_main_container_and_a_sidecar_is_one_pod_volume_with_a_mount_in_each()
    {
        var spec = Spec();
        var backend = Backend();
        var made = await backend.EnsureVolumeAsync(new VolumeClaim(spec.EnvironmentId, spec.ResourceName, Uid), CancellationToken.None);
        var shared = spec with
        {
            Volumes = [new VolumeMount(made.Name!, "/data", ReadOnly: false)],
            Sidecars = [new SidecarSpec { Name = "backup", Image = "registry.example/backup:1", Volumes = [new VolumeMount(made.Name!, "/backup/data", ReadOnly: true)] }],
        };

        var applied = await Within(TimeSpan.FromSeconds(15), backend.ApplyAsync(shared, new EventRecorder(), CancellationToken.None));

        Assert.True(applied.Succeeded, applied.Failure?.Reason);
        var pod = Cluster.Store.Get(ResourceTypes.Deployments, spec.ResourceName.Value, "shop")!["spec"]!["template"]!["spec"]!;
        Assert.Equal(made.Name, Assert.Single(pod["volumes"]!.AsArray())!["persistentVolumeClaim"]!["claimName"]!.GetValue<string>());
        var main = Assert.Single(pod["containers"]![0]!["volumeMounts"]!.AsArray())!;
        var backup = Assert.Single(pod["containers"]![1]!["volumeMounts"]!.AsArray())!;
        Assert.Equal((made.Name, "/data"), (main["name"]!.GetValue<string>(), main["mountPath"]!.GetValue<string>()));
        Assert.Null(main["readOnly"]);
        Assert.Equal((made.Name, "/backup/data", true), (backup["name"]!.GetValue<string>(), backup["mountPath"]!.GetValue<string>(), backup["readOnly"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task A_volume_path_mounts_only_that_sub_directory_of_the_claim_through_sub_path()
    {
        var spec = Spec();
        var backend = Backend();
        var made = await backend.EnsureVolumeAsync(new VolumeClaim(spec.EnvironmentId, spec.ResourceName, Uid), CancellationToken.None);

        var applied = await Within(TimeSpan.FromSeconds(15), backend.ApplyAsync(spec with
        {
            Volumes = [new VolumeMount(made.Name!, "/var/www/uploads", ReadOnly: false, SubPath: "sites/main"), new VolumeMount(made.Name!, "/data", ReadOnly: true)],
        }, new EventRecorder(), CancellationToken.None));

        Assert.True(applied.Succeeded, applied.Failure?.Reason);
        Assert.Null(((IRuntimeBackend)backend).VolumeSubPathRefusal);
        var pod = Cluster.Store.Get(ResourceTypes.Deployments, spec.ResourceName.Value, "shop")!["spec"]!["template"]!["spec"]!;
        var mounts = pod["containers"]![0]!["volumeMounts"]!.AsArray();
        Assert.Equal(("/var/www/uploads", "sites/main"), (mounts[0]!["mountPath"]!.GetValue<string>(), mounts[0]!["subPath"]!.GetValue<string>()));
        Assert.Equal("/data", mounts[1]!["mountPath"]!.GetValue<string>());
        Assert.Null(mounts[1]!["subPath"]);
    }

    [Fact]
    public async Task A_claim_of_that_name_that_paddock_did_not_make_is_neither_taken_over_nor_removed()
    {
        var spec = Spec();
        var backend = Backend();
        var claim = new VolumeClaim(spec.EnvironmentId, spec.ResourceName, Uid);
        await backend.EnsureVolumeAsync(claim, CancellationToken.None);
        var ns = spec.ResourceName.Value;
        Cluster.Store.Create(ResourceTypes.PersistentVolumeClaims, ns, new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "PersistentVolumeClaim",
            ["metadata"] = new JsonObject { ["name"] = "volume-rsomeoneelsesvolume", ["namespace"] = ns },
        });
        var foreign = claim with { Uid = "rsomeoneelsesvolume" };

        var ensured = await backend.EnsureVolumeAsync(foreign, CancellationToken.None);
        var removed = await backend.RemoveVolumeAsync(foreign, CancellationToken.None);

        Assert.Equal($"PersistentVolumeClaim {ns}/volume-rsomeoneelsesvolume exists and is not the one Paddock made; left in place", ensured.Failure);
        Assert.False(removed.Succeeded);
        Assert.NotNull(Cluster.Store.Get(ResourceTypes.PersistentVolumeClaims, ns, "volume-rsomeoneelsesvolume"));
    }
}
