using Paddock.Portal.Api;
using Paddock.Portal.Features.Environments;
using System.Text.Encodings.Web;
using System.Text.Json;
using Paddock.Workloads.Overrides;
using Paddock.Workloads.Source;

namespace Paddock.Portal.Features.Workloads;

/// <summary>An override file as the API answers it: the text (YAML or JSON) and the environment's ETag for If-Match.</summary>
public sealed record OverrideFileView(string Text, string ETag);

/// <summary>The result of putting an override: the file as it now reads, a failure, or the errors of the submitted
/// file (422, each at its place).</summary>
public sealed record OverrideOutcome(Outcome<OverrideFileView> Outcome, IReadOnlyList<WorkloadError>? WorkloadErrors = null)
{
    public static implicit operator OverrideOutcome(OverrideFileView view) => new(Outcome<OverrideFileView>.Ok(view));
    public static implicit operator OverrideOutcome(Failure failure) => new((Outcome<OverrideFileView>)failure);
}

/// <summary>
/// An environment's own override as a file (Paddock's extension of Score, shaped like score-compose's overrides):
/// <c>replicas</c>, and for the workload's one container its <c>image</c> and <c>variables</c>. It is a view of the
/// environment's settings, not a second store: reading it draws the file from them, and putting one changes them
/// through the environment's own update (same rules, same <c>environment.updated</c> audit entry, same pending-changes
/// check), so a plan then shows the difference and a deployment applies it. Secrets, limits, registry credentials and
/// the stop grace period stay settings of the environment, outside the file.
/// </summary>
public sealed class OverrideService(EnvironmentLookup lookup, EnvironmentService environments, WorkloadRevisions revisions, Sources.SourceEditGuard sourceGuard)
{
    public async Task<Outcome<OverrideFileView>> GetAsync(Caller caller, string appName, string envName, bool asJson, CancellationToken ct)
    {
        var (target, notFound) = await lookup.FindAsync(caller, appName, envName, ct);
        if (target is null) return notFound!;
        var container = await ContainerNameAsync(target, ct);
        var environment = await environments.GetAsync(caller, appName, envName, ct);
        if (!environment.IsOk) return (Failure)new(environment.Kind, environment.Message, environment.Errors);
        return View(environment.Value!, container, asJson);
    }

    /// <summary>Replaces the environment's image, replicas and variables with the file's (what the file leaves out
    /// returns to the application's value). An empty text is an empty override.</summary>
    public async Task<OverrideOutcome> PutAsync(Caller caller, string appName, string envName, string text, uint? ifMatch, bool asJson, CancellationToken ct)
    {
        var (target, notFound) = await lookup.FindAsync(caller, appName, envName, ct);
        if (target is null) return notFound!;
        if (await sourceGuard.RefusalAsync(caller, target.Env.Id, ct) is { } followsGit) return followsGit;
        if (text.Trim().Length == 0) text = "{}";
        var read = OverrideFile.Read(text);
        if (read.Override is not { } file) return new OverrideOutcome(Failure.Invalid("override", "The override is invalid."), read.Errors);
        var source = SourceDocument.Read(text).Document!;
        var container = await ContainerNameAsync(target, ct);

        var errors = new List<WorkloadError>();
        foreach (var name in file.Containers.Keys.Where(n => n != container))
            errors.Add(source.Error(Pointer.Of("containers", name), $"The workload has one container, \"{container}\"; an override can only change that one."));
        var own = file.Containers.GetValueOrDefault(container);
        foreach (var (name, _) in own?.Variables.Where(v => v.Value is null) ?? [])
            errors.Add(source.Error(Pointer.Of("containers", container, "variables", name),
                "An environment sets variables over the application's; removing one of the application's variables in one environment is not supported."));
        if (errors.Count > 0) return new OverrideOutcome(Failure.Invalid("override", "The override is invalid."), errors);

        var before = target.Env.VariableOverrides;
        var variables = before.Keys.Where(k => own?.Variables.ContainsKey(k) != true).ToDictionary(k => k, _ => (string?)null);
        foreach (var (name, value) in own?.Variables ?? new Dictionary<string, string?>()) variables[name] = value;
        var patch = new EnvironmentPatch
        {
            Image = own?.Image,
            Replicas = file.Replicas,
            Env = variables,
        };
        var updated = await environments.UpdateAsync(caller, appName, envName, patch, ifMatch, ct);
        if (updated.Kind == OutcomeKind.Invalid && updated.Errors is { } fieldErrors)
            return new OverrideOutcome(Failure.Invalid("override", "The override is invalid."), fieldErrors
                .SelectMany(e => e.Value.Select(message => source.Error(PointerOf(e.Key, container), message))).ToList());
        if (!updated.IsOk) return (Failure)new(updated.Kind, updated.Message, updated.Errors);
        return View(updated.Value!, container, asJson);
    }

    /// <summary>The override the environment's settings make, as a file.</summary>
    public static WorkloadOverride Of(EnvironmentView environment, string container)
    {
        var containers = new Dictionary<string, ContainerOverride>();
        if (environment.Overrides.Image is not null || environment.Overrides.Env.Count > 0)
            containers[container] = new ContainerOverride(environment.Overrides.Image,
                environment.Overrides.Env.ToDictionary(v => v.Key, v => (string?)v.Value), new Dictionary<string, string>());
        return new WorkloadOverride(environment.Overrides.Replicas, containers);
    }

    private static OverrideFileView View(Tagged<EnvironmentView> environment, string container, bool asJson)
    {
        var yaml = OverrideFile.ToYaml(Of(environment.View, container));
        var text = asJson ? SourceDocument.Read(yaml).Document!.Root!.ToJsonString(Indented) + "\n" : yaml;
        return new OverrideFileView(text, environment.ETag);
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The name of the workload's one container, which the override's <c>containers</c> key names.</summary>
    private async Task<string> ContainerNameAsync(EnvironmentTarget target, CancellationToken ct) =>
        (await revisions.CurrentAsync(target.App, ct)).Shape(target.App.Name.Value).ContainerName;

    /// <summary>Where an environment setting's field error lives in the override file.</summary>
    private static string PointerOf(string field, string container) => field switch
    {
        "image" => Pointer.Of("containers", container, "image"),
        "replicas" => "/replicas",
        "env" => Pointer.Of("containers", container, "variables"),
        _ when field.StartsWith("env.", StringComparison.Ordinal) => Pointer.Of("containers", container, "variables", field[4..]),
        _ => "",
    };
}
