using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Paddock.Domain.Backends;
using Paddock.Domain.Names;

namespace Paddock.Backends.Docker;

/// <summary>Runs workloads on a Docker-compatible engine: one network per environment, one container per replica,
/// each publishing its port on a free host port (<see cref="HostPorts"/>), probed by Paddock before it counts as ready.</summary>
public sealed partial class DockerBackend : IRuntimeBackend, IDisposable
{
    public const string BackendKind = "docker";

    private readonly DockerBackendOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly DockerClient _client;
    private readonly HealthProbe _probe;
    private readonly ImagePuller _images;
    private readonly EngineVersion _version;
    private readonly Func<int>? _chooseHostPort;
    private readonly DockerVolumes _volumes;
    private readonly HttpClient _probeHttp = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.Zero })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };
    private readonly ProbeRunner _runner;
    private readonly LivenessMonitor _liveness;

    public DockerBackend(DockerBackendOptions options, TimeProvider clock, ILogger<DockerBackend>? logger = null)
        : this(options, clock, HostPorts.ChooserFor(options), logger)
    {
    }

    /// <param name="chooseHostPort">Chooses each instance's host port; null lets the engine choose (a remote engine).</param>
    internal DockerBackend(DockerBackendOptions options, TimeProvider clock, Func<int>? chooseHostPort, ILogger<DockerBackend>? logger = null)
    {
        _options = options;
        _chooseHostPort = chooseHostPort;
        _clock = clock;
        _logger = logger ?? NullLogger<DockerBackend>.Instance;
        _client = new DockerClientBuilder().WithEndpoint(options.Endpoint).Build();
        _probe = new HealthProbe(clock);
        _images = new ImagePuller(_client);
        _volumes = new DockerVolumes(options.Endpoint);
        _runner = new ProbeRunner(_client, _probeHttp);
        _liveness = new LivenessMonitor(_client, _runner, options, clock, _logger);
        _version = new EngineVersion(async ct =>
        {
            var answer = await _client.System.GetVersionAsync(ct);
            return $"{answer.Version} (API {answer.APIVersion})";
        }, clock, options.DescribeTimeout);
    }

    public string Kind => BackendKind;
    public string Name => _options.Name;

    /// <summary>The engine API's volume sub-path (<c>Mounts[].VolumeOptions.Subpath</c>) is Docker API 1.45 (Docker 26);
    /// Podman 4.3's compatible API, which Paddock runs on, takes it and mounts the whole volume (tested: see
    /// <c>VolumeSubPathTests</c>). A bind mount of a directory inside the volume's mountpoint instead would follow a
    /// symbolic link the application itself wrote into its volume, on the engine's host: not offered.</summary>
    public string? VolumeSubPathRefusal =>
        $"Backend {Name} (a Docker engine) does not mount a sub-path of a volume: the engine API's volume sub-path needs " +
        "Docker API 1.45, and Podman's compatible API mounts the whole volume instead. Mount the whole volume.";

    public async Task<BackendInfo> DescribeAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.DescribeTimeout);
        try
        {
            await _client.System.PingAsync(timeout.Token);
            return new BackendInfo(Kind, Name, true, await _version.GetAsync(timeout.Token), null);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return Unreachable($"The engine at {_options.Endpoint} did not answer within {_options.DescribeTimeout.TotalSeconds:0}s.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Unreachable($"The engine at {_options.Endpoint} is unreachable: {DockerFailures.Message(e)}");
        }

        BackendInfo Unreachable(string reason)
        {
            _version.Forget();
            return new(Kind, Name, false, null, reason);
        }
    }

    /// <summary>The local image's registry digest (or its id, for an image made on the engine); an image the engine
    /// does not have yet is pulled, and so resolved, at deploy.</summary>
    public async Task<ImageResolution> ResolveImageAsync(string image, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.DescribeTimeout);
        try
        {
            return await _images.FindAsync(image, timeout.Token) is { } found
                ? ImageResolution.Resolved(found.Digest)
                : ImageResolution.AtDeploy("not on the engine yet: resolved when it is pulled at deploy");
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            _logger.LogWarning("Resolving image {Image} on {Backend} failed: {Reason}", image, Name, DockerFailures.Message(e));
            return ImageResolution.AtDeploy("the engine did not answer: resolved at deploy");
        }
    }

    public async Task<ApplyResult> ApplyAsync(WorkloadSpec spec, IProgress<BackendEvent> progress, CancellationToken ct)
    {
        var events = new DeploymentEvents(spec, progress, _clock);
        _logger.LogInformation("Applying deployment {DeploymentId} of {Resource}: {Image} x{Replicas}",
            spec.DeploymentId, spec.ResourceName, spec.Image, spec.Replicas);
        try
        {
            // A plan for this backend refuses sub-paths already; this keeps a deployment queued otherwise from mounting more than asked.
            if (spec.Volumes.Concat(spec.Sidecars.SelectMany(s => s.Volumes)).Any(v => v.SubPath is not null))
                return Report(ApplyResult.Failed(ApplyFailureKind.EngineRejected, VolumeSubPathRefusal!), events);
            var (image, imageFailure) = await _images.EnsureAsync(spec, events, ct);
            if (image is null) return Report(imageFailure!, events);
            var sidecarImages = new Dictionary<string, ResolvedImage>(StringComparer.Ordinal);
            foreach (var sidecar in spec.Sidecars)
            {
                var (sidecarImage, sidecarFailure) = await _images.EnsureAsync(sidecar.Image, sidecar.ImageDigest, spec.RegistryCredentials, events, ct);
                if (sidecarImage is null) return Report(sidecarFailure!, events);
                sidecarImages[sidecar.Name] = sidecarImage;
            }
            var started = await StartInstancesAsync(spec, image, sidecarImages, events, ct);
            if (started.Failure is not null) return Report(started, events);
            var probed = await ProbeAllAsync(spec, started.Instances, events, ct);
            if (probed.Failure is not null)
            {
                await RemoveDeploymentAsync(spec, events, ct);
                return Report(probed, events);
            }
            events.Info(BackendEventPhase.Ready,
                $"{probed.Instances.Count} instance(s) healthy: {string.Join(", ", probed.Instances.Select(i => i.Endpoint))}");
            return ApplyResult.Healthy(probed.Instances, imageDigest: image.Digest);
        }
        catch (Exception e) when (e is not OperationCanceledException && DockerFailures.IsUnreachable(e))
        {
            return Report(ApplyResult.Failed(ApplyFailureKind.EngineUnreachable,
                $"The engine at {_options.Endpoint} is unreachable: {e.Message}"), events);
        }
        catch (DockerApiException e)
        {
            var message = DockerFailures.Message(e);
            return Report(ApplyResult.Failed(ApplyFailureKind.EngineRejected, $"The engine refused: {message}"), events);
        }
    }

    private ApplyResult Report(ApplyResult failed, DeploymentEvents events)
    {
        var failure = failed.Failure!;
        _logger.LogWarning("Deployment failed ({Kind}): {Reason}", failure.Kind, failure.Reason);
        events.Error(BackendEventPhase.Failed, failure.Reason);
        return failed;
    }

    private const string BridgeNameOption = "com.docker.network.bridge.name";

    /// <summary>The host interface of an environment's network, named by the environment. Left to itself, Podman
    /// names a bridge <c>podmanN</c> after the lowest number its own networks and the host's live interfaces leave
    /// free; a second engine on the same host (run.sh's beside a test run's) picks the same name for a network whose
    /// bridge does not exist yet, and the two engines' containers then share one bridge and its addresses. The id's
    /// random tail keeps names apart; 15 characters is the kernel's limit.</summary>
    internal static string BridgeName(Guid environmentId) => "pdk" + environmentId.ToString("N")[^12..];

    private async Task EnsureNetworkAsync(WorkloadSpec spec, DeploymentEvents events, CancellationToken ct)
    {
        var name = spec.ResourceName.Value;
        try
        {
            await _client.Networks.InspectNetworkAsync(name, ct);
            return;
        }
        catch (Exception e) when (DockerFailures.IsNotFound(e)) { }

        try
        {
            await _client.Networks.CreateNetworkAsync(new NetworksCreateParameters
            {
                Name = name,
                Driver = "bridge",
                Options = new Dictionary<string, string> { [BridgeNameOption] = BridgeName(spec.EnvironmentId) },
                Labels = new Dictionary<string, string>
                {
                    [DockerLabels.Managed] = "true",
                    [DockerLabels.EnvironmentId] = spec.EnvironmentId.ToString(),
                },
            }, ct);
            events.Info(BackendEventPhase.Network, $"Created network {name}");
        }
        catch (Exception e) when (DockerFailures.IsConflict(e))
        {
            // Another apply of the same environment created it first: that is the state we wanted.
        }
    }

    /// <summary>Creates and starts the deployment's missing instances; running ones from an earlier try are kept.</summary>
    private async Task<ApplyResult> StartInstancesAsync(
        WorkloadSpec spec, ResolvedImage image, IReadOnlyDictionary<string, ResolvedImage> sidecarImages, DeploymentEvents events, CancellationToken ct)
    {
        var instances = new List<WorkloadInstance>();
        for (var ordinal = 1; ordinal <= spec.Replicas; ordinal++)
        {
            var (instance, failure) = await StartInstanceAsync(spec, image, sidecarImages, ordinal, events, ct);
            if (failure is not null) return failure;
            instances.Add(instance!);
        }
        return ApplyResult.Healthy(instances);
    }

    /// <summary>Creation is tried first, and an earlier try is only looked at when its name is taken: on the usual
    /// path that spares the engine a call, and the user its wait. A host port chosen here but taken by the time the
    /// engine binds it is chosen again.</summary>
    private async Task<(WorkloadInstance? Instance, ApplyResult? Failure)> StartInstanceAsync(
        WorkloadSpec spec, ResolvedImage image, IReadOnlyDictionary<string, ResolvedImage> sidecarImages, int ordinal, DeploymentEvents events, CancellationToken ct)
    {
        var name = DockerLabels.ContainerName(spec, ordinal);
        for (var attempt = 1; ; attempt++)
        {
            var hostPort = _chooseHostPort?.Invoke();
            var id = await TryCreateAsync(spec, image, ordinal, hostPort, events, ct);
            var reused = false;
            if (id is null)
            {
                var earlier = await EarlierTryAsync(spec, name, ct);
                if (earlier is null)
                    return (null, ApplyResult.Failed(ApplyFailureKind.EngineRejected,
                        $"The engine already has a container named {name} that is not this deployment's instance."));
                if (earlier.State?.Running == true)
                {
                    (id, reused) = (earlier.ID, true);
                    events.Info(BackendEventPhase.Start, $"Reusing running instance {name}", name);
                }
                else
                {
                    await RemoveInstanceAsync(spec, name, ct);
                    id = await TryCreateAsync(spec, image, ordinal, hostPort, events, ct)
                         ?? throw new InvalidOperationException($"Container name {name} is still taken after removing the earlier try.");
                }
            }
            if (!reused)
            {
                events.Info(BackendEventPhase.Create, $"Created instance {name}", name);
                await PutFilesAsync(id, spec.Files, ct);
                if (spec.Networks.Count > 0 && await JoinNetworksAsync(spec, id, name, events, ct) is { } unjoined)
                {
                    await RemoveContainerAsync(id, graceful: false, ct);
                    return (null, unjoined);
                }
                try
                {
                    await _client.Containers.StartContainerAsync(id, new ContainerStartParameters(), ct);
                }
                catch (DockerApiException e) when (DockerFailures.IsPortConflict(DockerFailures.Message(e)))
                {
                    await RemoveContainerAsync(id, graceful: false, ct);
                    if (hostPort is not null && attempt < HostPorts.Attempts) continue;
                    return (null, ApplyResult.Failed(ApplyFailureKind.EngineRejected,
                        $"Instance {name} could not publish port {spec.Port}: {DockerFailures.Message(e)}"));
                }
                events.Info(BackendEventPhase.Start, $"Started instance {name}", name);
            }
            if (spec.Sidecars.Count > 0 && await StartSidecarsAsync(spec, sidecarImages, ordinal, id, events, ct) is { } sidecarFailure)
                return (null, sidecarFailure);
            var endpoint = hostPort is { } chosen && !reused
                ? new HostEndpoint(HostPorts.HostFor(_options.PublishAddress), chosen)
                : await EndpointAsync(id, spec.Port, ct);
            if (endpoint is null)
                return (null, ApplyResult.Failed(ApplyFailureKind.EngineRejected,
                    $"The engine published no host port for port {spec.Port} of instance {name}."));
            return (new WorkloadInstance(id, name, spec.DeploymentId, ordinal, endpoint), null);
        }
    }

    /// <summary>Creates the instance's container; null when its name is taken. The environment's network is only
    /// looked for when the engine says it is missing: every deployment but an environment's first finds it there.</summary>
    private async Task<string?> TryCreateAsync(WorkloadSpec spec, ResolvedImage image, int ordinal, int? hostPort, DeploymentEvents events, CancellationToken ct)
    {
        var blueprint = ContainerBlueprint.For(spec, image, ordinal, hostPort, _options);
        try
        {
            try
            {
                return (await _client.Containers.CreateContainerAsync(blueprint, ct)).ID;
            }
            catch (DockerApiException e) when (DockerFailures.IsNetworkMissing(e))
            {
                await EnsureNetworkAsync(spec, events, ct);
                return (await _client.Containers.CreateContainerAsync(blueprint, ct)).ID;
            }
        }
        catch (DockerApiException e) when (DockerFailures.IsNameTaken(e))
        {
            return null;
        }
    }

    /// <summary>Starts the instance's sidecars in its main container's network namespace, after the main container (which
    /// owns that namespace). A sidecar an earlier try left running in this same main container is kept; any other
    /// earlier one of this deployment is replaced.</summary>
    private async Task<ApplyResult?> StartSidecarsAsync(
        WorkloadSpec spec, IReadOnlyDictionary<string, ResolvedImage> sidecarImages, int ordinal, string mainId, DeploymentEvents events, CancellationToken ct)
    {
        var instanceName = DockerLabels.ContainerName(spec, ordinal);
        foreach (var sidecar in spec.Sidecars)
        {
            var name = DockerLabels.SidecarName(spec, sidecar, ordinal);
            var blueprint = ContainerBlueprint.ForSidecar(spec, sidecar, sidecarImages[sidecar.Name], ordinal, mainId);
            var id = await TryCreateSidecarAsync(blueprint, ct);
            if (id is null)
            {
                var earlier = await EarlierTryAsync(spec, name, ct);
                if (earlier is null)
                    return ApplyResult.Failed(ApplyFailureKind.EngineRejected,
                        $"The engine already has a container named {name} that is not this deployment's container.");
                if (earlier.State?.Running == true && earlier.HostConfig?.NetworkMode == $"container:{mainId}")
                {
                    events.Info(BackendEventPhase.Start, $"Reusing running container {sidecar.Name} of {instanceName}", name);
                    continue;
                }
                await RemoveContainerAsync(earlier.ID, graceful: false, ct);
                id = await TryCreateSidecarAsync(blueprint, ct)
                     ?? throw new InvalidOperationException($"Container name {name} is still taken after removing the earlier try.");
            }
            await PutFilesAsync(id, sidecar.Files, ct);
            await _client.Containers.StartContainerAsync(id, new ContainerStartParameters(), ct);
            events.Info(BackendEventPhase.Start, $"Started container {sidecar.Name} of {instanceName}", name);
        }
        return null;
    }

    /// <summary>Puts the workload's files into a created container before it starts, so the process finds them at once.</summary>
    private async Task PutFilesAsync(string containerId, IReadOnlyList<ContainerFileSpec> files, CancellationToken ct)
    {
        if (files.Count == 0) return;
        await using var archive = FileArchive.Of(files);
        await _client.Containers.ExtractArchiveToContainerAsync(containerId, new CopyToContainerParameters { Path = "/" }, archive, ct);
    }

    private async Task<string?> TryCreateSidecarAsync(CreateContainerParameters blueprint, CancellationToken ct)
    {
        try
        {
            return (await _client.Containers.CreateContainerAsync(blueprint, ct)).ID;
        }
        catch (DockerApiException e) when (DockerFailures.IsNameTaken(e))
        {
            return null;
        }
    }

    /// <summary>Removes every container of one instance of the deployment (an earlier try's), at once, sidecars first.</summary>
    private async Task RemoveInstanceAsync(WorkloadSpec spec, string instanceName, CancellationToken ct)
    {
        var containers = await ListAsync(all: true, ct,
            DockerLabels.Is(DockerLabels.EnvironmentId, spec.EnvironmentId),
            DockerLabels.Is(DockerLabels.DeploymentId, spec.DeploymentId));
        var members = containers.Where(c => DockerLabels.InstanceOf(c.Labels, c.Names?.FirstOrDefault()?.TrimStart('/') ?? "") == instanceName)
            .OrderBy(c => DockerLabels.IsSidecar(c.Labels) ? 0 : 1);
        foreach (var container in members) await RemoveContainerAsync(container.ID, graceful: false, ct);
    }

    /// <summary>The container holding the instance's name if an earlier try of this same deployment made it, else null.</summary>
    private async Task<ContainerInspectResponse?> EarlierTryAsync(WorkloadSpec spec, string name, CancellationToken ct)
    {
        var container = await _client.Containers.InspectContainerAsync(name, ct);
        var labels = container.Config?.Labels;
        return DockerLabels.ParseGuid(labels, DockerLabels.EnvironmentId) == spec.EnvironmentId
               && DockerLabels.ParseGuid(labels, DockerLabels.DeploymentId) == spec.DeploymentId
            ? container
            : null;
    }

    private async Task<HostEndpoint?> EndpointAsync(string containerId, int port, CancellationToken ct)
    {
        var inspected = await _client.Containers.InspectContainerAsync(containerId, ct);
        return EndpointOf(inspected, port);
    }

    private static HostEndpoint? EndpointOf(ContainerInspectResponse container, int port)
    {
        if (container.NetworkSettings?.Ports is not { } ports
            || !ports.TryGetValue(ContainerBlueprint.PortKey(port), out var bindings)
            || bindings is null) return null;
        var binding = bindings.FirstOrDefault(b => int.TryParse(b.HostPort, out var p) && p > 0);
        if (binding is null) return null;
        return new HostEndpoint(HostPorts.HostFor(binding.HostIP), int.Parse(binding.HostPort, System.Globalization.CultureInfo.InvariantCulture));
    }

    private async Task<ApplyResult> ProbeAllAsync(
        WorkloadSpec spec, IReadOnlyList<WorkloadInstance> instances, DeploymentEvents events, CancellationToken ct)
    {
        var outcomes = await Task.WhenAll(instances.Select(async instance =>
        {
            events.Info(BackendEventPhase.Probe, $"Probing {instance.Name} at {instance.Endpoint}", instance.Name);
            var started = _clock.GetUtcNow();
            var outcome = await _probe.WaitUntilHealthyAsync(instance.Endpoint, spec.HealthCheck,
                token => ExitedReasonAsync(spec, instance, token), ct);
            // The workload's other readiness probes (exec, the sidecars'): the instance is ready when all of its containers are.
            if (outcome.Verdict == ProbeVerdict.Passed && ReadinessProbesOf(spec, instance) is { Count: > 0 } readiness)
            {
                var ready = await WaitUntilReadyAsync(spec, instance, readiness, started, token => ExitedReasonAsync(spec, instance, token), ct);
                outcome = ready.Verdict == ProbeVerdict.Passed ? ready with { Detail = $"{outcome.Detail}; {ready.Detail}" } : ready;
            }
            if (outcome.Verdict == ProbeVerdict.Passed)
                events.Info(BackendEventPhase.Probe, $"{instance.Name} is healthy: {outcome.Detail}", instance.Name);
            return (instance, outcome);
        }));

        foreach (var (instance, outcome) in outcomes)
        {
            if (outcome.Verdict == ProbeVerdict.Passed) continue;
            var logs = await LastLogLinesAsync(instance.Id, ct);
            return outcome.Verdict == ProbeVerdict.Abandoned
                ? ApplyResult.Failed(ApplyFailureKind.ExitedAtStart, $"Instance {instance.Name} {outcome.Detail} before it passed the health probe.", logs)
                : ApplyResult.Failed(ApplyFailureKind.ProbeTimedOut, $"Instance {instance.Name}: {outcome.Detail}", logs);
        }
        return ApplyResult.Healthy(instances);
    }

    /// <summary>Null while the instance runs (all of its containers); else what became of it.</summary>
    private async Task<string?> ExitedReasonAsync(WorkloadSpec spec, WorkloadInstance instance, CancellationToken ct)
    {
        try
        {
            var state = (await _client.Containers.InspectContainerAsync(instance.Id, ct)).State;
            if (state is not null && !state.Running)
                return state.OOMKilled ? "was killed for exceeding its memory limit" : $"exited with code {state.ExitCode}";
        }
        catch (Exception e) when (DockerFailures.IsNotFound(e))
        {
            return "was removed";
        }
        if (spec.Sidecars.Count == 0) return null;
        var containers = await ListAsync(all: true, ct,
            DockerLabels.Is(DockerLabels.EnvironmentId, spec.EnvironmentId),
            DockerLabels.Is(DockerLabels.Instance, instance.Name));
        foreach (var sidecar in spec.Sidecars)
        {
            var container = containers.FirstOrDefault(c => c.Labels?.TryGetValue(DockerLabels.Sidecar, out var name) == true && name == sidecar.Name);
            if (container is null) return $"lost its container {sidecar.Name}";
            if (container.State != "running") return $"has its container {sidecar.Name} {container.Status?.ToLowerInvariant()}";
        }
        return null;
    }

    public async Task RemoveOthersAsync(Guid environmentId, Guid keepDeploymentId, CancellationToken ct)
    {
        var containers = await ListAsync(all: true, ct, DockerLabels.Is(DockerLabels.EnvironmentId, environmentId));
        await RemoveAllAsync(containers.Where(c => DockerLabels.ParseGuid(c.Labels, DockerLabels.DeploymentId) != keepDeploymentId), ct);
    }

    public async Task RetireAsync(Guid environmentId, Guid deploymentId, CancellationToken ct)
    {
        var containers = await ListAsync(all: true, ct,
            DockerLabels.Is(DockerLabels.EnvironmentId, environmentId),
            DockerLabels.Is(DockerLabels.DeploymentId, deploymentId));
        await RemoveAllAsync(containers, ct);
        _logger.LogInformation("Retired deployment {DeploymentId} of environment {EnvironmentId} ({Count} containers)",
            deploymentId, environmentId, containers.Count);
    }

    public async Task TearDownAsync(Guid environmentId, ResourceName resourceName, CancellationToken ct)
    {
        var containers = await ListAsync(all: true, ct, DockerLabels.Is(DockerLabels.EnvironmentId, environmentId));
        await RemoveAllAsync(containers, ct);
        await DisconnectOthersAsync(resourceName, ct);
        try
        {
            await _client.Networks.DeleteNetworkAsync(resourceName.Value, ct);
        }
        catch (Exception e) when (DockerFailures.IsNotFound(e)) { }
        _logger.LogInformation("Tore down {Resource} ({Count} containers)", resourceName, containers.Count);
    }

    private async Task RemoveDeploymentAsync(WorkloadSpec spec, DeploymentEvents events, CancellationToken ct)
    {
        var containers = await ListAsync(all: true, ct,
            DockerLabels.Is(DockerLabels.EnvironmentId, spec.EnvironmentId),
            DockerLabels.Is(DockerLabels.DeploymentId, spec.DeploymentId));
        // Sidecars before their main container, whose network namespace they share.
        foreach (var container in containers.OrderBy(c => DockerLabels.IsSidecar(c.Labels) ? 0 : 1))
        {
            await RemoveContainerAsync(container.ID, graceful: false, ct);
            events.Info(BackendEventPhase.Remove, $"Removed failed {(DockerLabels.IsSidecar(container.Labels) ? "container" : "instance")} {container.Names.First().TrimStart('/')}");
        }
    }

    /// <summary>Stops and removes containers: a running one gets its grace period (its label, else the backend's stop
    /// timeout) to exit on SIGTERM, all at once; then sidecars are removed before main containers, because the engine
    /// keeps a container whose network namespace others joined.</summary>
    private async Task RemoveAllAsync(IEnumerable<ContainerListResponse> containers, CancellationToken ct)
    {
        var all = containers.ToList();
        await Task.WhenAll(all.Where(c => c.State == "running")
            .Select(c => StopContainerAsync(c.ID, DockerLabels.StopGraceOf(c.Labels, _options.StopTimeout), ct)));
        await Task.WhenAll(all.Where(c => DockerLabels.IsSidecar(c.Labels)).Select(c => RemoveContainerAsync(c.ID, graceful: false, ct)));
        await Task.WhenAll(all.Where(c => !DockerLabels.IsSidecar(c.Labels)).Select(c => RemoveContainerAsync(c.ID, graceful: false, ct)));
    }

    private async Task StopContainerAsync(string id, TimeSpan grace, CancellationToken ct)
    {
        try
        {
            await _client.Containers.StopContainerAsync(id, new ContainerStopParameters { WaitBeforeKillSeconds = (uint)grace.TotalSeconds }, ct);
        }
        catch (Exception e) when (DockerFailures.IsNotFound(e)) { }
    }

    private Task RemoveContainerAsync(string id, bool graceful, CancellationToken ct) =>
        RemoveContainerAsync(id, graceful ? _options.StopTimeout : null, ct);

    /// <summary>Stops (SIGTERM, then SIGKILL after <paramref name="grace"/>) and removes; without a grace period the
    /// container is removed at once. A container already gone is fine.</summary>
    private async Task RemoveContainerAsync(string id, TimeSpan? grace, CancellationToken ct)
    {
        try
        {
            if (grace is { } wait)
                await _client.Containers.StopContainerAsync(id,
                    new ContainerStopParameters { WaitBeforeKillSeconds = (uint)wait.TotalSeconds }, ct);
            await _client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true }, ct);
        }
        catch (Exception e) when (DockerFailures.IsNotFound(e)) { }
    }

    private async Task<IList<ContainerListResponse>> ListAsync(bool all, CancellationToken ct, params string[] labels) =>
        await _client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = all,
            Filters = DockerLabels.Filter([DockerLabels.Is(DockerLabels.Managed, "true"), .. labels]),
        }, ct);

    public void Dispose()
    {
        _probe.Dispose();
        _probeHttp.Dispose();
        _volumes.Dispose();
        _client.Dispose();
    }
}
