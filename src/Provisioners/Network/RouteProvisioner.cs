using System.Text.Json;
using System.Text.Json.Nodes;
using Paddock.Domain.Resources;

namespace Paddock.Provisioners.Network;

/// <summary>Score's <c>route</c> type: params <c>host</c> (usually <c>${resources.dns.host}</c>), <c>path</c> (a prefix,
/// default <c>/</c>) and <c>port</c> (a <c>service.ports</c> entry of the workload, by name or port number). The host and
/// path are claimed for the environment (no other environment may hold the same pair) and served by the environment's
/// backend: Paddock's edge for the Docker engine, an Ingress rule on Kubernetes. Requests keep their path (the prefix
/// is not stripped). No outputs. The host and path are kept in the resource's state, so the route can be observed,
/// put back and removed without the workload at hand.</summary>
public sealed class RouteProvisioner(IEnvironmentRoutes routes) : IResourceProvisioner
{
    public const string ResourceType = "route";

    private static readonly string[] Known = ["host", "path", "port"];

    public string Type => ResourceType;

    public IReadOnlySet<string>? OutputNames => new HashSet<string>(StringComparer.Ordinal);

    public bool RequiresClass => false;

    public IReadOnlyDictionary<string, string> ValidateClass(ResourceClassSettings settings) => ParamReading.NoClassSettings(settings, Type);

    public IReadOnlyDictionary<string, string> ValidateParams(JsonObject? parameters)
    {
        var errors = new Dictionary<string, string>();
        ParamReading.RefuseUnknown(parameters, Known, Type, errors);
        var host = ParamReading.String(parameters, "host");
        if (host is null) errors["/host"] = "A route needs a host (a string, usually ${resources.<dns resource>.host}).";
        else if (!ParamReading.HasPlaceholder(host) && HostNames.CheckHost(host) is { } badHost) errors["/host"] = badHost;
        if (parameters?["path"] is not null)
        {
            var path = ParamReading.String(parameters, "path");
            if (path is null) errors["/path"] = "A route's path is a string (a prefix such as /api).";
            else if (!ParamReading.HasPlaceholder(path) && HostNames.CheckPath(path) is { } badPath) errors["/path"] = badPath;
        }
        if (ParamReading.Text(parameters, "port") is null) errors["/port"] = "A route needs the port it sends requests to: a service.ports entry, by name or number.";
        return errors;
    }

    public IReadOnlyDictionary<string, string> ValidateAgainstPorts(JsonObject? parameters, IReadOnlyDictionary<string, int> servicePorts)
    {
        var errors = new Dictionary<string, string>();
        if (ParamReading.Text(parameters, "port") is { } port && !ParamReading.HasPlaceholder(port)
            && !servicePorts.ContainsKey(port) && !servicePorts.Values.Any(p => ParamReading.Port(port) == p))
            errors["/port"] = servicePorts.Count == 0
                ? $"Port {port} is not one of the workload's service.ports: it has none."
                : $"Port {port} is not one of the workload's service.ports ({string.Join(", ", servicePorts.Select(p => $"{p.Key}: {p.Value}"))}).";
        return errors;
    }

    public async Task<ProvisionOutcome> ProvisionAsync(ProvisionRequest request, CancellationToken ct)
    {
        var (claim, failure) = ClaimOf(request);
        if (claim is null) return ProvisionOutcome.Failed(failure!);
        if (await routes.ClaimAsync(claim, ct) is { } refused) return ProvisionOutcome.Failed(refused);
        return ProvisionOutcome.Ready(new Dictionary<string, string>(), new Dictionary<string, string>(),
            JsonSerializer.Serialize(new RouteState(claim.Host, claim.Path)));
    }

    public async Task<ResourceObservation> ObserveAsync(ProvisionRequest request, CancellationToken ct)
    {
        var (claim, failure) = ClaimOf(request);
        return claim is null ? new ResourceObservation(ResourcePresence.Unknown, failure) : await routes.ObserveAsync(claim, ct);
    }

    public async Task<DeprovisionOutcome> DeprovisionAsync(DeprovisionRequest request, CancellationToken ct) =>
        await routes.ReleaseAsync(request.Resource.EnvironmentId, request.Resource.Uid, ct) is { } failure
            ? DeprovisionOutcome.Failed(failure)
            : DeprovisionOutcome.Done();

    /// <summary>The route from its resolved params; without them (drift repair), from what the last provision kept.</summary>
    private static (RouteClaim? Claim, string? Failure) ClaimOf(ProvisionRequest request)
    {
        string? host, path;
        if (request.Params is { } parameters)
        {
            host = ParamReading.String(parameters, "host");
            path = ParamReading.String(parameters, "path") ?? "/";
        }
        else if (request.State is { Length: > 0 } state && JsonSerializer.Deserialize<RouteState>(state) is { } kept)
        {
            (host, path) = (kept.Host, kept.Path);
        }
        else return (null, "the route's host is not known (no params, nothing kept from an earlier provision).");

        if (host is null) return (null, "the route has no host.");
        if (HostNames.CheckHost(host) is { } badHost) return (null, $"its host {badHost}");
        if (HostNames.CheckPath(path) is { } badPath) return (null, $"its path {badPath}");
        return (new RouteClaim(request.EnvironmentId, request.Uid, host, path), null);
    }

    private sealed record RouteState(string Host, string Path);
}
