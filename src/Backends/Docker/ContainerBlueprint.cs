using Docker.DotNet.Models;
using Paddock.Domain.Backends;

namespace Paddock.Backends.Docker;

/// <summary>Turns a workload into the engine's create-container request for one instance.</summary>
internal static class ContainerBlueprint
{
    public static string PortKey(int port) => $"{port}/tcp";

    /// <param name="image">What the engine creates the container from: <see cref="WorkloadSpec.Image"/>, or the
    /// exact content a redeploy pinned (<c>repo@sha256:…</c>); the spec's own reference stays in a label.</param>
    /// <param name="hostPort">The host port to publish on (<see cref="HostPorts"/>); null lets the engine choose one.</param>
    internal static CreateContainerParameters For(WorkloadSpec spec, ResolvedImage image, int ordinal, int? hostPort, DockerBackendOptions options)
    {
        var port = PortKey(spec.Port);
        return new CreateContainerParameters
        {
            Name = DockerLabels.ContainerName(spec, ordinal),
            Image = image.Reference,
            Cmd = spec.Command?.ToList()!,   // null keeps the image's command
            Env = spec.Environment().Select(variable => $"{variable.Key}={variable.Value}").ToList(),
            Labels = DockerLabels.For(spec, image.Id, ordinal),
            ExposedPorts = new Dictionary<string, EmptyStruct> { [port] = default },
            // What a plain `docker stop` of the instance waits too; Paddock's own stops read the label.
            StopTimeout = spec.StopGracePeriod,
            HostConfig = new HostConfig
            {
                NetworkMode = spec.ResourceName.Value,
                Binds = spec.Volumes.Count == 0 ? null! : spec.Volumes.Select(v => $"{v.Volume}:{v.Target}{(v.ReadOnly ? ":ro" : "")}").ToList(),
                // The edge proxy learns the port from the apply result.
                PortBindings = new Dictionary<string, IList<PortBinding>>
                {
                    [port] = [new PortBinding { HostIP = options.PublishAddress, HostPort = hostPort?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "" }],
                },
                // Restarts belong to Paddock's reconciler, which records why and when; an engine restart would hide both.
                RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.No },
                NanoCPUs = spec.Limits.CpuMillicores is { } millicores ? millicores * 1_000_000L : 0,
                Memory = spec.Limits.MemoryMiB is { } mebibytes ? mebibytes * 1024L * 1024L : 0,
            },
            NetworkingConfig = new NetworkingConfig
            {
                EndpointsConfig = new Dictionary<string, EndpointSettings>
                {
                    // Other workloads of the environment reach the app by its name; other environments' containers
                    // that join this network (service-port) by the environment's, which no other environment has.
                    [spec.ResourceName.Value] = new() { Aliases = [spec.AppName.Value, spec.ResourceName.Value] },
                },
            },
        };
    }

    /// <summary>A sidecar of one instance: it joins the main container's network namespace (as the containers of a
    /// Kubernetes pod share theirs), so the instance's containers reach each other on localhost, and others reach it
    /// through the main container's address and aliases. It publishes nothing; the edge routes to the main container.</summary>
    internal static CreateContainerParameters ForSidecar(WorkloadSpec spec, SidecarSpec sidecar, ResolvedImage image, int ordinal, string mainContainerId) => new()
    {
        Name = DockerLabels.SidecarName(spec, sidecar, ordinal),
        Image = image.Reference,
        Entrypoint = sidecar.Command?.ToList()!,   // null keeps the image's entrypoint
        Cmd = sidecar.Args?.ToList()!,             // null keeps the image's command
        Env = sidecar.Environment().Select(variable => $"{variable.Key}={variable.Value}").ToList(),
        Labels = DockerLabels.ForSidecar(spec, sidecar, image.Id, ordinal),
        StopTimeout = spec.StopGracePeriod,
        HostConfig = new HostConfig
        {
            NetworkMode = $"container:{mainContainerId}",
            Binds = sidecar.Volumes.Count == 0 ? null! : sidecar.Volumes.Select(v => $"{v.Volume}:{v.Target}{(v.ReadOnly ? ":ro" : "")}").ToList(),
            RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.No },
            NanoCPUs = sidecar.Limits.CpuMillicores is { } millicores ? millicores * 1_000_000L : 0,
            Memory = sidecar.Limits.MemoryMiB is { } mebibytes ? mebibytes * 1024L * 1024L : 0,
        },
    };
}
