using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Paddock.Domain.Applications;
using Paddock.Domain.Deployments;
using Paddock.Workloads.Model;
using Paddock.Workloads.Placeholders;
using Paddock.Workloads.Source;
using Probe = Paddock.Workloads.Model.Probe;

namespace Paddock.Portal.Features.Workloads;

/// <summary>
/// The part of an application's settings a Score workload describes: for its main container (the one the
/// environment's URL routes to) the image, the port, the command, plain variables, which of Paddock's secrets reach
/// it, the HTTP or TCP health check and the limits; and the workload's other containers (<see cref="Sidecars"/>),
/// with the probes beyond the health check (<see cref="Probes"/>). Reading a workload into a projection refuses what Paddock cannot
/// run exactly yet, so applying a plan never drops part of the file silently; writing a projection back as a
/// workload (<see cref="ToWorkload"/>) is how both sides of a plan are drawn, so a plan compares like with like.
/// </summary>
public sealed partial record WorkloadProjection(
    string Image,
    int Port,
    IReadOnlyList<string>? Command,
    IReadOnlyDictionary<string, string> Variables,
    IReadOnlyList<string> SecretNames,
    HealthCheckKind HealthCheck,
    string? HealthCheckPath,
    ResourceLimits Limits,
    IReadOnlyList<SidecarContainer> Sidecars)
{
    /// <summary>The annotation that names the main container when nothing else does (see <see cref="MainContainerOf"/>).</summary>
    public const string MainContainerAnnotation = "paddock.dev/main-container";

    /// <summary>Variables of the main container whose values take outputs of provisioned resources
    /// (<c>${resources.db.url}</c>), kept as written; resolved by the worker once the resources are provisioned. Not an
    /// app setting: they live in the workload revision and the deployment snapshot.</summary>
    public IReadOnlyDictionary<string, string> ResourceVariables { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The provisioned resources (not environment ones) in provisioning order.</summary>
    public IReadOnlyList<SnapshotResource> Resources { get; init; } = [];

    /// <summary>The volume resources the containers mount (<c>source: ${resources.data}</c>), by container and target.</summary>
    public IReadOnlyList<SnapshotVolume> Volumes { get; init; } = [];

    /// <summary>The files put into the workload's containers (Score's <c>files</c>), by container and target; like
    /// <see cref="Volumes"/> they live in the workload revision and the deployment snapshot, not in the app's settings.</summary>
    public IReadOnlyList<SnapshotFile> Files { get; init; } = [];

    /// <summary>The probes of the workload's containers beyond the main container's <see cref="HealthCheck"/> (its HTTP
    /// readiness probe on the service port, or TCP without one): liveness probes, an exec readiness probe of the main
    /// container, and the other containers' probes. Like <see cref="Files"/> they live in the workload revision and the
    /// deployment snapshot.</summary>
    public IReadOnlyList<ContainerProbe> Probes { get; init; } = [];

    /// <summary><see cref="Probes"/> as they stand beside the main container's health check <paramref name="healthCheck"/>:
    /// an HTTP health check (set by the form) takes the place of an exec readiness probe of the main container.</summary>
    public IReadOnlyList<ContainerProbe> ProbesBeside(HealthCheckKind healthCheck) =>
        healthCheck == HealthCheckKind.Http
            ? Probes.Where(p => p.Purpose != ProbePurpose.Readiness || Sidecars.Any(s => s.Name == p.Container)).ToList()
            : Probes;

    /// <summary>The app's own settings (not an environment's): its variables and the names of its app-level secrets.</summary>
    public static WorkloadProjection Of(Application app, IEnumerable<string> appSecretNames) => new(
        app.Image, app.Port, app.Command, Sorted(app.Variables), appSecretNames.Order(StringComparer.Ordinal).ToList(),
        app.HealthCheck.Kind, app.HealthCheck.Kind == HealthCheckKind.Http ? app.HealthCheck.Path : null, app.Limits, app.Sidecars.ToList());

    /// <summary>What a deployment runs: the effective settings of its environment, every secret it pins.</summary>
    public static WorkloadProjection Of(DeploymentSnapshot snapshot) => new(
        snapshot.Image, snapshot.Port, snapshot.Command, Sorted(snapshot.Variables),
        snapshot.Secrets.Select(s => s.Name).Order(StringComparer.Ordinal).ToList(),
        snapshot.HealthCheck.Kind, snapshot.HealthCheck.Kind == HealthCheckKind.Http ? snapshot.HealthCheck.Path : null, snapshot.Limits,
        snapshot.Sidecars ?? [])
    {
        ResourceVariables = snapshot.ResourceVariables ?? new SortedDictionary<string, string>(StringComparer.Ordinal),
        Resources = snapshot.Resources ?? [],
        Volumes = snapshot.Volumes ?? [],
        Files = snapshot.Files ?? [],
        Probes = snapshot.Probes ?? [],
    };

    /// <summary>Compares by value, maps and lists included (a record compares them by reference).</summary>
    public string Key => JsonSerializer.Serialize(new
    {
        Image, Port, Command, Variables, SecretNames, HealthCheck = HealthCheck.ToString(), HealthCheckPath, Limits.CpuMillicores, Limits.MemoryMiB,
        Sidecars = SidecarContainer.Key(Sidecars),
    });

    /// <summary>This projection as a Score workload, named and shaped like <paramref name="shape"/>. Plain values are
    /// escaped (<c>$</c> as <c>$$</c>); each secret is <c>NAME: ${resources.env.NAME}</c>, so the workload holds no secret.</summary>
    public Workload ToWorkload(WorkloadShape shape)
    {
        var isMain = (string container) => !Sidecars.Any(s => s.Name == container);
        var probe = HealthCheck == HealthCheckKind.Http
            ? new Probe(new HttpProbe(Port, HealthCheckPath ?? "/", null, null, []), null)
            : ScoreProbe(p => p.Purpose == ProbePurpose.Readiness && isMain(p.Container));
        var containers = new SortedDictionary<string, Container>(StringComparer.Ordinal)
        {
            [shape.ContainerName] = ContainerOf(Image, Command, null, Variables, SecretNames, Limits, probe, shape, ResourceVariables) with
            {
                Volumes = VolumesFor(v => v.Container is null || isMain(v.Container)),
                Files = FilesFor(f => isMain(f.Container)),
                LivenessProbe = ScoreProbe(p => p.Purpose == ProbePurpose.Liveness && isMain(p.Container)),
            },
        };
        foreach (var sidecar in Sidecars)
            containers[sidecar.Name] = ContainerOf(sidecar.Image, sidecar.Command, sidecar.Args, sidecar.Variables, sidecar.SecretNames, sidecar.Limits,
                    ScoreProbe(p => p.Purpose == ProbePurpose.Readiness && p.Container == sidecar.Name), shape)
                with
                {
                    Files = FilesFor(f => f.Container == sidecar.Name), Volumes = VolumesFor(v => v.Container == sidecar.Name),
                    LivenessProbe = ScoreProbe(p => p.Purpose == ProbePurpose.Liveness && p.Container == sidecar.Name),
                };
        var resources = new SortedDictionary<string, ResourceRequest>(StringComparer.Ordinal);
        if (SecretNames.Count > 0 || Sidecars.Any(s => s.SecretNames.Count > 0))
            resources[shape.EnvironmentResource] = new ResourceRequest(EnvironmentValues.ResourceType, null, null, null, null);
        foreach (var resource in Resources) resources[resource.Name] = new ResourceRequest(resource.Type, resource.Class, null, null, null);
        var metadata = shape.Metadata;
        var workload = new Workload(Workload.ScoreApiVersion, metadata,
            new SortedDictionary<string, ServicePort>(StringComparer.Ordinal) { [shape.PortName] = new ServicePort(Port, null, null) },
            containers, resources);
        if (Sidecars.Count > 0 && MainContainerOf(workload) != shape.ContainerName)
        {
            // Nothing else tells the main container apart (a TCP check, a name unlike the workload's): say it.
            var annotations = new SortedDictionary<string, string>(metadata.Annotations.ToDictionary(), StringComparer.Ordinal)
            {
                [MainContainerAnnotation] = shape.ContainerName,
            };
            workload = workload with { Metadata = metadata with { Annotations = annotations } };
        }
        return workload;
    }

    /// <summary>The first of <see cref="Probes"/> that <paramref name="which"/> picks, as Score writes it.</summary>
    private Probe? ScoreProbe(Func<ContainerProbe, bool> which) => Probes.FirstOrDefault(which)?.Action switch
    {
        { HttpGet: { } http } => new Probe(new HttpProbe(http.Port, http.Path, null, null, []), null),
        { Exec: { } command } => new Probe(null, new ExecProbe(command.ToList())),
        _ => null,
    };

    private SortedDictionary<string, ContainerVolume> VolumesFor(Func<SnapshotVolume, bool> ofContainer) => new(
        Volumes.Where(ofContainer).ToDictionary(v => v.Target, v => new ContainerVolume($"${{resources.{v.Resource}}}", v.Path, v.ReadOnly ? true : null)),
        StringComparer.Ordinal);

    /// <summary>The files of one container as Score writes them: content as a template (its placeholders expand), or
    /// base64 binary content.</summary>
    private SortedDictionary<string, ContainerFile> FilesFor(Func<SnapshotFile, bool> ofContainer) => new(
        Files.Where(ofContainer).ToDictionary(f => f.Target,
            f => new ContainerFile(f.Mode, null, f.Binary ? null : f.Content, f.Binary ? f.Content : null, null)), StringComparer.Ordinal);

    private static Container ContainerOf(string image, IReadOnlyList<string>? command, IReadOnlyList<string>? args,
        IReadOnlyDictionary<string, string> plainVariables, IReadOnlyList<string> secretNames, ResourceLimits limits, Probe? readiness, WorkloadShape shape,
        IReadOnlyDictionary<string, string>? resourceVariables = null)
    {
        var variables = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in plainVariables) variables[name] = value.Replace("$", "$$", StringComparison.Ordinal);
        foreach (var name in secretNames) variables[name] = $"${{resources.{shape.EnvironmentResource}.{name}}}";
        foreach (var (name, template) in resourceVariables ?? new Dictionary<string, string>()) variables[name] = template;
        var resources = limits.CpuMillicores is null && limits.MemoryMiB is null ? null
            : new ContainerResources(new ResourceAmounts(limits.MemoryMiB is { } mib ? $"{mib}Mi" : null,
                limits.CpuMillicores is { } milli ? $"{milli}m" : null), null);
        return new Container(image, command?.ToList(), args?.ToList(), variables, new Dictionary<string, ContainerFile>(),
            new Dictionary<string, ContainerVolume>(), resources, null, readiness, new Dictionary<string, string>());
    }

    /// <summary>The container the environment's URL routes to: the one <see cref="MainContainerAnnotation"/> names;
    /// else the only one whose readiness probe GETs the service port; else the one named like the workload; else the
    /// only container. Null when none of these tells.</summary>
    public static string? MainContainerOf(Workload workload)
    {
        if (workload.Containers.Count == 1) return workload.Containers.Keys.Single();
        if (workload.Metadata.Annotations.TryGetValue(MainContainerAnnotation, out var named))
            return workload.Containers.ContainsKey(named) ? named : null;
        if (workload.Ports.Count == 1)
        {
            var port = workload.Ports.Values.Single().EffectiveTargetPort;
            var probed = workload.Containers.Where(c => c.Value.ReadinessProbe?.HttpGet?.Port == port).Select(c => c.Key).ToList();
            if (probed.Count == 1) return probed[0];
        }
        return workload.Containers.ContainsKey(workload.Metadata.Name) ? workload.Metadata.Name : null;
    }

    /// <summary>
    /// Reads a valid workload into a projection over <paramref name="app"/>'s settings, or says at which pointer
    /// each part is something Paddock cannot run exactly yet. <paramref name="appSecretNames"/> are the app's
    /// secrets: each must reach the container as <c>NAME: ${resources.&lt;environment resource&gt;.NAME}</c>,
    /// because a deployment always carries all of them.
    /// </summary>
    public static (WorkloadProjection? Projection, IReadOnlyList<WorkloadError> Errors) Read(
        Workload workload, SourceDocument? source, IReadOnlyCollection<string> appSecretNames)
    {
        var errors = new List<WorkloadError>();
        WorkloadError Error(string pointer, string message) => source?.Error(pointer, message) ?? new WorkloadError(pointer, null, message);

        if (MainContainerOf(workload) is not { } containerName)
        {
            errors.Add(Error(workload.Metadata.Annotations.ContainsKey(MainContainerAnnotation)
                    ? Pointer.Of("metadata", "annotations", MainContainerAnnotation) : "/containers",
                $"Paddock routes the environment's URL to one container of the workload, and cannot tell which: give it a readinessProbe " +
                $"with httpGet on the service port, name it like the workload ({workload.Metadata.Name}), or name it in the annotation " +
                $"{MainContainerAnnotation} (containers: {string.Join(", ", workload.Containers.Keys)})."));
            return (null, errors);
        }
        var container = workload.Containers[containerName];
        var at = Pointer.Of("containers", containerName);

        int port = 0;
        if (workload.Ports.Count != 1)
            errors.Add(Error(workload.Ports.Count == 0 ? "" : "/service/ports",
                "Paddock routes the environment's URL to one port: the workload needs exactly one entry in service.ports."));
        else
        {
            var (portName, servicePort) = workload.Ports.Single();
            if (servicePort.Protocol == TransportProtocol.Udp)
                errors.Add(Error(Pointer.Of("service", "ports", portName, "protocol"), "Paddock's edge routes HTTP over TCP; a UDP port cannot be its URL."));
            port = servicePort.EffectiveTargetPort;
        }

        CommonRefusals(containerName, container, Error, errors);
        var volumes = VolumesOf(workload, containerName, container, Error, errors);
        var environmentResources = workload.Resources.Where(r => r.Value.Type == EnvironmentValues.ResourceType).Select(r => r.Key).ToHashSet();
        var provisioned = workload.Resources.Where(r => r.Value.Type != EnvironmentValues.ResourceType).Select(r => r.Key).ToHashSet();
        var files = new List<SnapshotFile>();
        foreach (var (name, each) in workload.Containers)
            files.AddRange(ContainerFiles.Read(workload, name, each, environmentResources, provisioned, appSecretNames, Error, errors));
        var probes = new List<ContainerProbe>();
        var healthCheck = HealthCheckKind.Tcp;
        string? healthPath = null;
        if (container.ReadinessProbe is { } readiness && ProbeOf(containerName, "readinessProbe", readiness, Error, errors) is { } readinessAction)
        {
            // The main container's HTTP readiness probe is its health check on the port the URL routes to (the edge
            // checks that port too); an exec probe is one more check beside the TCP connect to that port.
            if (readinessAction.HttpGet is { } http)
            {
                if (port != 0 && http.Port != port)
                    errors.Add(Error(Pointer.Of("containers", containerName, "readinessProbe", "httpGet", "port"),
                        $"The main container's readiness probe GETs the port its URL routes to ({port}); probe other ports with an exec probe or a livenessProbe."));
                healthCheck = HealthCheckKind.Http;
                healthPath = http.Path;
            }
            else probes.Add(new ContainerProbe(containerName, ProbePurpose.Readiness, readinessAction));
        }
        if (container.LivenessProbe is { } liveness && ProbeOf(containerName, "livenessProbe", liveness, Error, errors) is { } livenessAction)
            probes.Add(new ContainerProbe(containerName, ProbePurpose.Liveness, livenessAction));

        var limits = LimitsOf(containerName, container, Error, errors);
        var (variables, secrets, resourceVariables) = VariablesOf(containerName, container, environmentResources, provisioned, appSecretNames, Error, errors);
        foreach (var missing in appSecretNames.Where(s => !secrets.Contains(s)).Order(StringComparer.Ordinal))
            errors.Add(Error(Pointer.Append(at, "variables"), $"The application's secret {missing} reaches the container on every deployment: " +
                $"list it as {missing}: ${{resources.{environmentResources.FirstOrDefault() ?? "env"}.{missing}}} (a secret is removed in the app's settings, not in the file)."));

        var sidecars = new List<SidecarContainer>();
        foreach (var (sidecarName, sidecar) in workload.Containers.Where(c => c.Key != containerName))
        {
            var sidecarAt = Pointer.Of("containers", sidecarName);
            CommonRefusals(sidecarName, sidecar, Error, errors);
            volumes.AddRange(VolumesOf(workload, sidecarName, sidecar, Error, errors).Select(v => v with { Container = sidecarName }));
            if (sidecar.ReadinessProbe is { } sidecarReadiness && ProbeOf(sidecarName, "readinessProbe", sidecarReadiness, Error, errors) is { } sidecarReady)
                probes.Add(new ContainerProbe(sidecarName, ProbePurpose.Readiness, sidecarReady));
            if (sidecar.LivenessProbe is { } sidecarLiveness && ProbeOf(sidecarName, "livenessProbe", sidecarLiveness, Error, errors) is { } sidecarLive)
                probes.Add(new ContainerProbe(sidecarName, ProbePurpose.Liveness, sidecarLive));
            if (sidecarName.Length > SidecarContainer.MaxNameLength)
                errors.Add(Error(sidecarAt, $"Container names beside the main one are at most {SidecarContainer.MaxNameLength} characters."));
            var sidecarLimits = LimitsOf(sidecarName, sidecar, Error, errors);
            var (sidecarVariables, sidecarSecrets, _) = VariablesOf(sidecarName, sidecar, environmentResources, new HashSet<string>(), appSecretNames, Error, errors);
            sidecars.Add(new SidecarContainer(sidecarName, sidecar.Image, sidecar.Command, sidecar.Args, sidecarVariables,
                sidecarSecrets.ToList(), sidecarLimits));
        }

        if (errors.Count > 0) return (null, errors);
        // Score's command replaces the image's entrypoint and args its command; Paddock runs one argument list today
        // for the main container (the app's settings have one).
        IReadOnlyList<string>? command = container.Command is null && container.Args is null ? null
            : [.. container.Command ?? [], .. container.Args ?? []];
        return (new WorkloadProjection(container.Image, port, command, variables, secrets.ToList(), healthCheck, healthPath,
            limits, sidecars)
        {
            ResourceVariables = resourceVariables,
            Resources = Paddock.Portal.Features.Resources.ResourceTypes.SnapshotOf(workload),
            Volumes = volumes,
            Files = files,
            Probes = probes,
        }, []);
    }

    /// <summary>A Score probe as Paddock runs it: an HTTP GET of a path on a port of the instance, or a command run in the
    /// container. Host, scheme and headers of an HTTP probe are refused (Paddock GETs plain HTTP from outside the
    /// containers, where a host name or scheme would mean something else than in a pod); so is an empty command. A probe
    /// with both <c>httpGet</c> and <c>exec</c> runs the exec probe, as the Score specification asks of implementations
    /// that support both.</summary>
    private static ProbeAction? ProbeOf(string containerName, string key, Probe probe, Func<string, string, WorkloadError> error, List<WorkloadError> errors)
    {
        var at = Pointer.Of("containers", containerName, key);
        if (probe.Exec is null && probe.HttpGet is { } http)
        {
            if (http.Host is not null || http.Scheme is not null || http.Headers.Count > 0)
            {
                errors.Add(error(Pointer.Append(at, "httpGet"), "Paddock's HTTP probe is a plain HTTP GET of a path on a port: host, scheme and headers are not supported."));
                return null;
            }
            return ProbeAction.Get(http.Port, http.Path);
        }
        if (probe.Exec is { } exec)
        {
            if (exec.Command.Count == 0 || exec.Command.Any(string.IsNullOrEmpty))
            {
                errors.Add(error(Pointer.Of("containers", containerName, key, "exec", "command"), "An exec probe needs a command (its first word the program to run)."));
                return null;
            }
            return ProbeAction.Command(exec.Command);
        }
        return null;
    }

    /// <summary>What no container of a workload may have yet.</summary>
    private static void CommonRefusals(string name, Container container, Func<string, string, WorkloadError> error, List<WorkloadError> errors)
    {
        var at = Pointer.Of("containers", name);
        if (container.Resources?.Requests is not null)
            errors.Add(error(Pointer.Of("containers", name, "resources", "requests"), "Paddock sets limits only; remove the requests."));
        if (container.Before.Count > 0)
            errors.Add(error(Pointer.Append(at, "before"), "Paddock starts the main container first and the others after it; an order between containers is not supported yet."));
    }

    /// <summary>A container's volumes: each source must be exactly <c>${resources.NAME}</c> naming a resource of
    /// type <c>volume</c>; a sub-path (<c>path</c>) is a relative path inside the volume. Whether the environment's
    /// backend can mount a sub-path is its own to say (<see cref="Paddock.Domain.Backends.IRuntimeBackend.VolumeSubPathRefusal"/>).</summary>
    private static List<SnapshotVolume> VolumesOf(Workload workload, string name, Container container, Func<string, string, WorkloadError> error, List<WorkloadError> errors)
    {
        var volumes = new List<SnapshotVolume>();
        foreach (var (target, volume) in container.Volumes)
        {
            var at = Pointer.Of("containers", name, "volumes", target);
            var match = VolumeSource().Match(volume.Source);
            if (!match.Success || !workload.Resources.TryGetValue(match.Groups[1].Value, out var resource) || resource.Type != VolumeType)
            {
                errors.Add(error(Pointer.Append(at, "source"), "A volume's source must be a resource of type volume, written ${resources.NAME}."));
                continue;
            }
            var path = volume.Path is null ? null : SubPathOf(volume.Path);
            if (volume.Path is not null && path is null)
            {
                errors.Add(error(Pointer.Append(at, "path"), "A volume's path is a sub-directory inside the volume (data or sites/main), without . or .. parts."));
                continue;
            }
            volumes.Add(new SnapshotVolume(match.Groups[1].Value, target, volume.ReadOnly == true, Path: path));
        }
        return volumes;
    }

    /// <summary>A volume's sub-path as Paddock mounts it (<c>./data/</c> → <c>data</c>), or null when it is absolute,
    /// empty or climbs with <c>..</c>.</summary>
    public static string? SubPathOf(string path)
    {
        if (path.StartsWith('/') || path.Contains('\\') || path.Contains('\0')) return null;
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
        return parts.Count == 0 || parts.Contains("..") ? null : string.Join('/', parts);
    }

    /// <summary>The Score resource type a container's volume mounts.</summary>
    public const string VolumeType = "volume";

    [GeneratedRegex(@"^\$\{resources\.([A-Za-z0-9_-]+)\}$")]
    private static partial Regex VolumeSource();

    private static ResourceLimits LimitsOf(string name, Container container, Func<string, string, WorkloadError> error, List<WorkloadError> errors)
    {
        int? cpu = null, memory = null;
        if (container.Resources?.Limits is { } limits)
        {
            var limitsAt = Pointer.Of("containers", name, "resources", "limits");
            if (limits.Cpu is { } cpuText && (cpu = Millicores(cpuText)) is null)
                errors.Add(error(Pointer.Append(limitsAt, "cpu"), "Write CPU as millicores (500m) or whole cores (2)."));
            if (limits.Memory is { } memoryText && (memory = Mebibytes(memoryText)) is null)
                errors.Add(error(Pointer.Append(limitsAt, "memory"), "Write memory in Mi or Gi (256Mi, 1Gi)."));
        }
        return new ResourceLimits(cpu, memory);
    }

    /// <summary>A container's plain variables, the application secrets it takes (each under its own name), and the
    /// variables that take outputs of <paramref name="provisioned"/> resources, kept as written.</summary>
    private static (SortedDictionary<string, string> Variables, SortedSet<string> Secrets, SortedDictionary<string, string> ResourceVariables) VariablesOf(
        string name, Container container, IReadOnlySet<string> environmentResources, IReadOnlySet<string> provisioned,
        IReadOnlyCollection<string> appSecretNames, Func<string, string, WorkloadError> error, List<WorkloadError> errors)
    {
        var resourceVariables = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var variables = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var secrets = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (variable, value) in container.Variables)
        {
            var variableAt = Pointer.Of("containers", name, "variables", variable);
            if (SecretReference().Match(value) is { Success: true } reference && environmentResources.Contains(reference.Groups["resource"].Value))
            {
                var output = reference.Groups["output"].Value;
                if (output != variable || !appSecretNames.Contains(variable))
                    errors.Add(error(variableAt, $"Only the application's own secrets reach a container from Paddock, each under its own name " +
                        $"(NAME: ${{resources.{reference.Groups["resource"].Value}.NAME}}); '{output}' is not one of them here. Plain values are written in the file."));
                else secrets.Add(variable);
            }
            else if (Unescape(value) is { } plain) variables[variable] = plain;
            else if (TakesResourceOutputs(value, provisioned)) resourceVariables[variable] = value;
            else errors.Add(error(variableAt, "Paddock stores variables as plain values today: the only placeholder it supports is a secret of the application, " +
                "as NAME: ${resources.env.NAME}. Write a literal $ as $$."));
        }
        return (variables, secrets, resourceVariables);
    }

    /// <summary>Whether every placeholder of <paramref name="value"/> is an output of a provisioned resource.</summary>
    public static bool TakesResourceOutputs(string value, IReadOnlySet<string> provisioned)
    {
        var references = Template.Parse(value).References.ToList();
        return references.Count > 0 && references.All(r => r.Root == "resources" && r.Path.Count == 3 && provisioned.Contains(r.Path[1]));
    }

    /// <summary>Where an application setting's field error lives in the workload.</summary>
    public static string PointerOf(string field, WorkloadShape shape)
    {
        var container = Pointer.Of("containers", shape.ContainerName);
        return field switch
        {
            "image" => Pointer.Append(container, "image"),
            "port" => Pointer.Of("service", "ports", shape.PortName),
            "command" => Pointer.Append(container, "command"),
            "env" => Pointer.Append(container, "variables"),
            _ when field.StartsWith("env.", StringComparison.Ordinal) => Pointer.Of("containers", shape.ContainerName, "variables", field[4..]),
            _ when field.StartsWith("healthCheck", StringComparison.Ordinal) => Pointer.Append(container, "readinessProbe"),
            "limits" => Pointer.Of("containers", shape.ContainerName, "resources", "limits"),
            _ => "",
        };
    }

    [GeneratedRegex(@"^\$\{resources\.(?<resource>[A-Za-z0-9_-]+)\.(?<output>[A-Za-z_][A-Za-z0-9_]*)\}$")]
    private static partial Regex SecretReference();

    /// <summary>Score's escaping: <c>$$</c> is a literal <c>$</c>; null when the value holds a placeholder.</summary>
    private static string? Unescape(string value)
    {
        var text = new System.Text.StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '$' && i + 1 < value.Length && value[i + 1] == '$') { text.Append('$'); i++; }
            else if (value[i] == '$' && i + 1 < value.Length && value[i + 1] == '{') return null;
            else text.Append(value[i]);
        }
        return text.ToString();
    }

    private static int? Millicores(string text)
    {
        if (text.EndsWith('m') && int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var milli)) return milli;
        return decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var cores)
               && cores * 1000 == decimal.Truncate(cores * 1000) && cores * 1000 <= int.MaxValue
            ? (int)(cores * 1000) : null;
    }

    private static int? Mebibytes(string text)
    {
        if (text.EndsWith("Mi", StringComparison.Ordinal) && int.TryParse(text[..^2], NumberStyles.None, CultureInfo.InvariantCulture, out var mib)) return mib;
        if (text.EndsWith("Gi", StringComparison.Ordinal) && int.TryParse(text[..^2], NumberStyles.None, CultureInfo.InvariantCulture, out var gib)
            && gib <= int.MaxValue / 1024) return gib * 1024;
        return null;
    }

    private static SortedDictionary<string, string> Sorted(IEnumerable<KeyValuePair<string, string>> map) =>
        new(map.ToDictionary(), StringComparer.Ordinal);
}

/// <summary>The names a workload gives things Paddock's settings do not name: the workload's metadata, its one
/// container, its one service port and its <c>environment</c> resource. Kept from the revision, so drawing a
/// projection again keeps the names the team chose.</summary>
public sealed record WorkloadShape(WorkloadMetadata Metadata, string ContainerName, string PortName, string EnvironmentResource)
{
    public const string DefaultPortName = "web";
    public const string DefaultEnvironmentResource = "env";

    /// <summary>An app that never had a workload: the workload and its container are named after the app.</summary>
    public static WorkloadShape For(string appName) =>
        new(new WorkloadMetadata(appName, new Dictionary<string, string>(), new JsonObject()), appName, DefaultPortName, DefaultEnvironmentResource);

    public static WorkloadShape Of(Workload workload, string appName) => new(
        workload.Metadata,
        WorkloadProjection.MainContainerOf(workload) ?? appName,
        workload.Ports.Count == 1 ? workload.Ports.Keys.Single() : DefaultPortName,
        workload.Resources.FirstOrDefault(r => r.Value.Type == EnvironmentValues.ResourceType).Key ?? DefaultEnvironmentResource);
}
