using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Paddock.Domain.Resources;

namespace Paddock.Provisioners.External;

/// <summary>A resource type Paddock does not ship, provisioned by an executable an admin registers as the class's
/// <c>path</c>: called as <c>path provision|observe|deprovision</c> with the request as JSON on stdin, answering one
/// JSON object on stdout (docs/external-provisioners.md). A non-zero exit, a timeout (the process tree is killed) or
/// an answer that is not the protocol's becomes a failure naming the executable and, where it has one, its error or
/// the first line of its stderr, with the class's secrets blanked out.</summary>
public sealed class ExternalProvisioner(string type) : IResourceProvisioner
{
    public const string Provision = "provision";
    public const string Observe = "observe";
    public const string Deprovision = "deprovision";

    public string Type { get; } = type;

    public IReadOnlyDictionary<string, string> ValidateClass(ResourceClassSettings settings) => ExternalClass.Validate(settings);

    /// <summary>Params are the executable's to judge: it answers an error at provision time.</summary>
    public IReadOnlyDictionary<string, string> ValidateParams(JsonObject? parameters) => new Dictionary<string, string>();

    public async Task<ProvisionOutcome> ProvisionAsync(ProvisionRequest request, CancellationToken ct)
    {
        var call = await CallAsync(Provision, request, null, ct);
        if (call.Failure is { } failure) return ProvisionOutcome.Failed(failure);
        var answer = call.Answer!;
        return ProvisionOutcome.Ready(answer.Values ?? [], answer.Secrets ?? [], answer.State);
    }

    public async Task<ResourceObservation> ObserveAsync(ProvisionRequest request, CancellationToken ct)
    {
        var call = await CallAsync(Observe, request, null, ct);
        if (call.Failure is { } failure) return new ResourceObservation(ResourcePresence.Unknown, failure);
        return call.Answer!.Present switch
        {
            true => new ResourceObservation(ResourcePresence.Present),
            false => new ResourceObservation(ResourcePresence.Missing, call.Answer.Reason is { } reason ? Redact(reason, request) : null),
            null => new ResourceObservation(ResourcePresence.Unknown, $"{Name(request)} observe answered without \"present\""),
        };
    }

    public async Task<DeprovisionOutcome> DeprovisionAsync(DeprovisionRequest request, CancellationToken ct)
    {
        var call = await CallAsync(Deprovision, request.Resource, request.SnapshotDirectory, ct);
        return call.Failure is { } failure ? DeprovisionOutcome.Failed(failure) : DeprovisionOutcome.Done(call.Answer!.SnapshotPath);
    }

    private sealed record Call(ExternalAnswer? Answer, string? Failure);

    private async Task<Call> CallAsync(string operation, ProvisionRequest request, string? snapshotDirectory, CancellationToken ct)
    {
        if (ExternalClass.From(request.Class) is not { } externalClass)
            return new Call(null, $"the {Type} class {request.Class.Name} has no valid path and timeout settings");
        var input = JsonSerializer.Serialize(new ExternalRequest(ExternalProtocol.Version, operation, request.EnvironmentId,
            request.ResourceId, request.Uid, Type, request.Class.Name, request.Params, request.State,
            new ExternalClassSettings(request.Class.Values, request.Class.Secrets), snapshotDirectory), ExternalProtocol.Json);
        var name = $"{Name(request)} {operation}";

        ExecutableResult result;
        try
        {
            result = await ExecutableRun.RunAsync(externalClass.Path, operation, input, externalClass.Timeout, ct);
        }
        catch (Win32Exception e)
        {
            return new Call(null, $"{name} could not be started: {e.Message}");
        }
        if (result.TimedOut)
            return new Call(null, $"{name} did not answer within {externalClass.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s and was killed");
        if (result.ExitCode != 0)
        {
            var said = FirstLine(result.Stderr) is { } line ? $": {Redact(line, request)}" : "";
            return new Call(null, $"{name} exited with code {result.ExitCode.ToString(CultureInfo.InvariantCulture)}{said}");
        }

        ExternalAnswer? answer;
        try
        {
            answer = JsonSerializer.Deserialize<ExternalAnswer>(result.Stdout, ExternalProtocol.Json);
        }
        catch (JsonException e)
        {
            // Not the output itself: it may hold a secret the executable meant for its values.
            var where = e.Path is { Length: > 1 } path ? $" (at {path})" : "";
            return new Call(null, $"{name} answered something other than the protocol's JSON object{where}");
        }
        if (answer is null) return new Call(null, $"{name} answered something other than the protocol's JSON object");
        if (answer.Error is { } error) return new Call(null, $"{name} failed: {Redact(error, request)}");
        return new Call(answer, null);
    }

    private string Name(ProvisionRequest request) => $"the {Type} provisioner of class {request.Class.Name}";

    private static string? FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();

    private static string Redact(string text, ProvisionRequest request)
    {
        foreach (var secret in request.Class.Secrets.Values.Where(s => s.Length > 0))
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        return text;
    }
}
