using System.Text.Json.Nodes;
using Paddock.Domain.Resources;

namespace Paddock.Provisioners.Network;

/// <summary>Score's <c>dns</c> type: a host name for the environment, output <c>host</c>. It is
/// <c>{name}-{app}-{env}</c> under the domain of the environment's backend (the edge's <c>Edge:HostSuffix</c>,
/// <c>.localhost</c> by default, which browsers and curl resolve with no DNS set-up; a Kubernetes backend's
/// <c>IngressDomain</c>). When another environment holds that name already (names with dashes can meet:
/// app <c>a-b</c> env <c>c</c> and app <c>a</c> env <c>b-c</c>), a piece of the resource's uid is added. The name is
/// kept in the resource's state, so it never changes once given. A name is not served by itself: a <c>route</c> on it
/// is.</summary>
public sealed class DnsProvisioner(IEnvironmentRoutes routes) : IResourceProvisioner
{
    public const string ResourceType = "dns";

    private static readonly IReadOnlySet<string> Outputs = new HashSet<string>(["host"], StringComparer.Ordinal);

    public string Type => ResourceType;

    public IReadOnlySet<string>? OutputNames => Outputs;

    public bool RequiresClass => false;

    public IReadOnlyDictionary<string, string> ValidateClass(ResourceClassSettings settings) => ParamReading.NoClassSettings(settings, Type);

    public IReadOnlyDictionary<string, string> ValidateParams(JsonObject? parameters)
    {
        var errors = new Dictionary<string, string>();
        foreach (var (name, _) in parameters ?? [])
            errors[$"/{name}"] = "A dns resource takes no params.";
        return errors;
    }

    public async Task<ProvisionOutcome> ProvisionAsync(ProvisionRequest request, CancellationToken ct)
    {
        if (request.State is { Length: > 0 } kept) return Ready(kept);
        var place = await routes.FindAsync(request.EnvironmentId, ct);
        if (place.Failure is not null) return ProvisionOutcome.Failed(place.Failure);
        if (place.HostSuffix is not { } suffix) return ProvisionOutcome.Failed("the environment's backend has no domain for host names.");
        var readable = HostNames.Label($"{request.Name}-{place.App}-{place.Environment}");
        var host = readable + suffix;
        if (await routes.HostTakenAsync(host, request.EnvironmentId, ct))
        {
            // The uid is the environment's and resource's own: no other environment's name ends with it.
            var marked = $"{HostNames.Label(readable.Length > 54 ? readable[..54] : readable)}-{request.Uid[1..9]}";
            host = marked + suffix;
            if (await routes.HostTakenAsync(host, request.EnvironmentId, ct))
                return ProvisionOutcome.Failed($"the host names {readable}{suffix} and {host} are both used by other environments.");
        }
        if (HostNames.CheckHost(host) is { } bad) return ProvisionOutcome.Failed($"the domain gives no valid host name: {bad}");
        return Ready(host);
    }

    private static ProvisionOutcome Ready(string host) =>
        ProvisionOutcome.Ready(new Dictionary<string, string> { ["host"] = host }, new Dictionary<string, string>(), state: host);

    /// <summary>A name has nothing on a server that could go missing.</summary>
    public Task<ResourceObservation> ObserveAsync(ProvisionRequest request, CancellationToken ct) =>
        Task.FromResult(new ResourceObservation(ResourcePresence.Present));

    public Task<DeprovisionOutcome> DeprovisionAsync(DeprovisionRequest request, CancellationToken ct) =>
        Task.FromResult(DeprovisionOutcome.Done());
}
