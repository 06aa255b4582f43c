using System.Text.Json.Nodes;
using Paddock.Domain.Backends;
using Paddock.Domain.Names;
using Paddock.Domain.Resources;
using Paddock.Provisioners.Volume;

namespace Paddock.Provisioners.Tests.Volume;

/// <summary>The volume provisioner over the volume seam of the environment's backend (a recording seam here; the real
/// engine and the fake cluster are tested in their backends' tests and in the workers' volume test).</summary>
public sealed class VolumeProvisionerTests
{
    private static readonly Guid Environment = Guid.NewGuid();
    private static readonly ResourceClassSettings NoClass = new("volume", "default", new Dictionary<string, string>(), new Dictionary<string, string>());

    private static ProvisionRequest Request => new() { EnvironmentId = Environment, ResourceId = "volume.default#web.data", Uid = "ruidofthevolume00000", Class = NoClass };

    [Fact]
    public void A_volume_needs_no_class_and_takes_no_params_each_unknown_param_named()
    {
        var provisioner = new VolumeProvisioner(new Volumes(new RecordingBackend()));

        var errors = provisioner.ValidateParams(new JsonObject { ["size"] = "1Gi", ["mode"] = "rw" });

        Assert.False(provisioner.RequiresClass);
        Assert.Equal(["/mode", "/size"], errors.Keys.Order());
        Assert.Empty(provisioner.ValidateParams(null));
        Assert.Contains("values.x", provisioner.ValidateClass(NoClass with { Values = new Dictionary<string, string> { ["x"] = "1" } }).Keys);
    }

    [Fact]
    public async Task Provisioning_makes_the_volume_on_the_environments_backend_and_answers_its_name()
    {
        var backend = new RecordingBackend();
        var provisioner = new VolumeProvisioner(new Volumes(backend));

        var outcome = await provisioner.ProvisionAsync(Request, CancellationToken.None);
        var removed = await provisioner.DeprovisionAsync(new DeprovisionRequest(Request, null), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Failure);
        Assert.Equal("vol-ruidofthevolume00000", outcome.Values["name"]);
        Assert.Empty(outcome.Secrets);
        Assert.True(removed.Succeeded);
        Assert.Equal(["ensure ruidofthevolume00000 in web-dev", "remove ruidofthevolume00000 in web-dev"], backend.Calls);
    }

    [Fact]
    public async Task A_backend_without_volumes_or_a_failing_one_fails_with_its_reason()
    {
        var none = new VolumeProvisioner(new Volumes(null));
        var failing = new VolumeProvisioner(new Volumes(new RecordingBackend { Failure = "the engine is unreachable" }));

        Assert.Equal("the environment's backend keeps no volumes.", (await none.ProvisionAsync(Request, CancellationToken.None)).Failure);
        Assert.Equal("the engine is unreachable", (await failing.ProvisionAsync(Request, CancellationToken.None)).Failure);
        Assert.Equal("the engine is unreachable", (await failing.DeprovisionAsync(new DeprovisionRequest(Request, null), CancellationToken.None)).Failure);
        Assert.Equal(ResourcePresence.Unknown, (await none.ObserveAsync(Request, CancellationToken.None)).Presence);
    }

    private sealed class Volumes(IVolumeBackend? backend) : IEnvironmentVolumes
    {
        public Task<EnvironmentVolume> FindAsync(Guid environmentId, string uid, CancellationToken ct) => Task.FromResult(backend is null
            ? EnvironmentVolume.None("the environment's backend keeps no volumes.")
            : EnvironmentVolume.On(backend, new VolumeClaim(environmentId, ResourceName.FromTrusted("web-dev"), uid)));
    }

    private sealed class RecordingBackend : IVolumeBackend
    {
        public string? Failure { get; init; }
        public List<string> Calls { get; } = [];

        public Task<VolumeResult> EnsureVolumeAsync(VolumeClaim claim, CancellationToken ct)
        {
            Calls.Add($"ensure {claim.Uid} in {claim.EnvironmentName}");
            return Task.FromResult(Failure is null ? VolumeResult.Done($"vol-{claim.Uid}") : VolumeResult.Failed(Failure));
        }

        public Task<ResourceObservation> ObserveVolumeAsync(VolumeClaim claim, CancellationToken ct) =>
            Task.FromResult(new ResourceObservation(ResourcePresence.Present));

        public Task<VolumeResult> RemoveVolumeAsync(VolumeClaim claim, CancellationToken ct)
        {
            Calls.Add($"remove {claim.Uid} in {claim.EnvironmentName}");
            return Task.FromResult(Failure is null ? VolumeResult.Done($"vol-{claim.Uid}") : VolumeResult.Failed(Failure));
        }
    }
}
