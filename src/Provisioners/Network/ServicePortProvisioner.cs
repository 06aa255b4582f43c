using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Paddock.Domain.Resources;

namespace Paddock.Provisioners.Network;

/// <summary>Score's <c>service-port</c> type: another workload's address. Params <c>workload</c> (an app of the same
/// team, in its environment of the same name as this one; or <c>app/env</c> for a given environment) and <c>port</c>
/// (the port number the workload listens on; optional, that port by default). Outputs <c>hostname</c> and <c>port</c>,
/// which containers of this environment connect to. The target must exist and run on the same backend; on the Docker
/// engine this environment's containers then join the target's network (kept in the resource's state).</summary>
public sealed class ServicePortProvisioner(IWorkloadAddresses addresses) : IResourceProvisioner
{
    public const string ResourceType = "service-port";

    private static readonly string[] Known = ["workload", "port"];

    private static readonly IReadOnlySet<string> Outputs = new HashSet<string>(["hostname", "port"], StringComparer.Ordinal);

    public string Type => ResourceType;

    public IReadOnlySet<string>? OutputNames => Outputs;

    public bool RequiresClass => false;

    public IReadOnlyDictionary<string, string> ValidateClass(ResourceClassSettings settings) => ParamReading.NoClassSettings(settings, Type);

    public IReadOnlyDictionary<string, string> ValidateParams(JsonObject? parameters)
    {
        var errors = new Dictionary<string, string>();
        ParamReading.RefuseUnknown(parameters, Known, Type, errors);
        if (ParamReading.String(parameters, "workload") is not { Length: > 0 } workload)
            errors["/workload"] = "A service-port needs the workload it reaches: an app of the team (its environment of the same name), or app/env.";
        else if (!ParamReading.HasPlaceholder(workload) && workload.Split('/').Length > 2)
            errors["/workload"] = $"'{workload}' is neither an app name nor app/env.";
        var port = ParamReading.Text(parameters, "port");
        if (parameters?["port"] is not null && (port is null || (!ParamReading.HasPlaceholder(port) && ParamReading.Port(port) is null)))
            errors["/port"] = "A service-port's port is the port number the workload listens on (1-65535).";
        return errors;
    }

    public async Task<ProvisionOutcome> ProvisionAsync(ProvisionRequest request, CancellationToken ct)
    {
        var (target, port) = request.Params is { } parameters
            ? (ParamReading.String(parameters, "workload"), ParamReading.Port(ParamReading.Text(parameters, "port")))
            : request.State is { Length: > 0 } state && JsonSerializer.Deserialize<ServicePortState>(state) is { } kept
                ? (kept.Workload, kept.Port)
                : (null, null);
        if (target is null) return ProvisionOutcome.Failed("the workload to reach is not known (no params, nothing kept from an earlier provision).");
        var address = await addresses.FindAsync(request.EnvironmentId, target, port, ct);
        if (address.Failure is not null) return ProvisionOutcome.Failed(address.Failure);
        return ProvisionOutcome.Ready(
            new Dictionary<string, string> { ["hostname"] = address.Hostname!, ["port"] = address.Port.ToString(CultureInfo.InvariantCulture) },
            new Dictionary<string, string>(),
            JsonSerializer.Serialize(new ServicePortState(target, port, address.Network)));
    }

    /// <summary>The engine network a provisioned service-port's consumer joins, from the state its provision kept.</summary>
    public static string? NetworkOf(string? state) =>
        state is { Length: > 0 } && JsonSerializer.Deserialize<ServicePortState>(state) is { } kept ? kept.Network : null;

    /// <summary>An address is looked up, not made: nothing to go missing or to remove.</summary>
    public Task<ResourceObservation> ObserveAsync(ProvisionRequest request, CancellationToken ct) =>
        Task.FromResult(new ResourceObservation(ResourcePresence.Present));

    public Task<DeprovisionOutcome> DeprovisionAsync(DeprovisionRequest request, CancellationToken ct) =>
        Task.FromResult(DeprovisionOutcome.Done());

    private sealed record ServicePortState(string Workload, int? Port, string? Network);
}
