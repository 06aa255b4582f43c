using Paddock.Domain.Applications;
using Paddock.Portal.Api;
using Probe = Paddock.Domain.Applications.HealthCheck;

namespace Paddock.Portal.Features.Applications;

/// <summary>What a create request or a patched application wants the app's settings to be, in one shape,
/// so both are checked by the same rules and every error is reported at once.</summary>
public sealed record AppSettings(
    string? Description,
    string? RepositoryUrl,
    string? Image,
    int? Port,
    string[]? Command,
    Dictionary<string, string?> Env,
    HealthCheckRequest? HealthCheck,
    int? Replicas,
    LimitsRequest? Limits,
    int? StopGracePeriodSeconds = null)
{
    public const int MaxDescriptionLength = 2000;
    public const int MaxCommandParts = 100;

    public static AppSettings From(CreateAppRequest request) => new(
        request.Description, request.RepositoryUrl, request.Image, request.Port, request.Command,
        request.Env ?? [], request.HealthCheck, request.Replicas ?? 1, request.Limits, request.StopGracePeriodSeconds);

    public static AppSettings From(Application app) => new(
        app.Description, app.RepositoryUrl, app.Image, app.Port, app.Command,
        app.Variables.ToDictionary(v => v.Key, v => (string?)v.Value),
        new HealthCheckRequest(app.HealthCheck.Kind.ToString(), app.HealthCheck.Path, app.HealthCheck.IntervalSeconds, app.HealthCheck.TimeoutSeconds),
        app.Replicas,
        new LimitsRequest(app.Limits.CpuMillicores, app.Limits.MemoryMiB),
        app.StopGracePeriodSeconds);

    public AppSettings With(AppPatch patch) => new(
        patch.Description.Or(Description),
        patch.RepositoryUrl.Or(RepositoryUrl),
        patch.Image.Or(Image),
        patch.Port.Or(Port),
        patch.Command.Or(Command),
        patch.Env.IsSet ? Variables.Merge(Env, patch.Env.Value) : Env,
        patch.HealthCheck switch
        {
            { IsSet: false } => HealthCheck,
            { Value: null } => null,
            { Value: var p } => new HealthCheckRequest(
                p.Type.Or(HealthCheck?.Type), p.Path.Or(HealthCheck?.Path),
                p.IntervalSeconds.Or(HealthCheck?.IntervalSeconds), p.TimeoutSeconds.Or(HealthCheck?.TimeoutSeconds)),
        },
        patch.Replicas.Or(Replicas),
        patch.Limits switch
        {
            { IsSet: false } => Limits,
            { Value: null } => null,
            { Value: var p } => new LimitsRequest(p.CpuMillicores.Or(Limits?.CpuMillicores), p.MemoryMiB.Or(Limits?.MemoryMiB)),
        },
        patch.StopGracePeriodSeconds.Or(StopGracePeriodSeconds));

    /// <summary>The fields the app's workload describes (image, port, command, variables, health check, replicas,
    /// limits) that differ from <paramref name="before"/>; a git-followed app takes those from git.</summary>
    public IReadOnlyList<string> WorkloadFieldsChangedFrom(AppSettings before)
    {
        var changed = new List<string>();
        if (Image != before.Image) changed.Add("image");
        if (Port != before.Port) changed.Add("port");
        if (!(Command ?? []).SequenceEqual(before.Command ?? [])) changed.Add("command");
        if (Env.Count != before.Env.Count || Env.Any(v => !before.Env.TryGetValue(v.Key, out var was) || was != v.Value)) changed.Add("env");
        if (HealthCheck != before.HealthCheck) changed.Add("healthCheck");
        if (Replicas != before.Replicas) changed.Add("replicas");
        if (Limits != before.Limits) changed.Add("limits");
        return changed;
    }

    public void Validate(FieldErrors errors)
    {
        if (Description?.Length > MaxDescriptionLength) errors.Add("description", $"At most {MaxDescriptionLength} characters.");
        errors.Add("repositoryUrl", CheckRepositoryUrl(RepositoryUrl));
        errors.Add("image", ImageReference.Check(Image));
        errors.Add("port", Port is { } port ? Application.CheckPort(port) : "Required.");
        errors.Add("command", CheckCommand(Command));
        errors.AddAll(VariableName.CheckAll(Env!, "env"));
        errors.Add("replicas", Replicas is { } replicas ? Application.CheckReplicas(replicas) : "Required.");
        if (ToHealthCheck(HealthCheck, out var healthCheck) is { } kindError) errors.Add("healthCheck.type", kindError);
        else errors.Add("healthCheck", healthCheck.Check());
        errors.Add("limits", ToLimits(Limits).Check());
        errors.Add("stopGracePeriodSeconds", Application.CheckStopGracePeriod(StopGracePeriodSeconds));
    }

    /// <summary>Copies the settings onto the entity; call only after <see cref="Validate"/> found nothing.</summary>
    public void ApplyTo(Application app)
    {
        app.Description = Description?.Trim() ?? "";
        app.RepositoryUrl = string.IsNullOrWhiteSpace(RepositoryUrl) ? null : RepositoryUrl.Trim();
        app.Image = Image!;
        app.Port = Port!.Value;
        app.Command = Command is { Length: > 0 } ? Command : null;
        app.Variables = Env.ToDictionary(v => v.Key, v => v.Value!);
        ToHealthCheck(HealthCheck, out var healthCheck);
        app.HealthCheck = healthCheck;
        app.Replicas = Replicas!.Value;
        app.Limits = ToLimits(Limits);
        app.StopGracePeriodSeconds = StopGracePeriodSeconds;
    }

    public static ResourceLimits ToLimits(LimitsRequest? limits) =>
        limits is null ? ResourceLimits.None : new ResourceLimits(limits.CpuMillicores, limits.MemoryMiB);

    /// <summary>Null when the type is known (the check itself is built), else why not.</summary>
    private static string? ToHealthCheck(HealthCheckRequest? request, out Probe check)
    {
        check = Probe.Default;
        if (request is null) return null;
        var kind = HealthCheckKind.Http;
        if (request.Type is not null && !TryParseKind(request.Type, out kind)) return "Use \"http\" or \"tcp\".";
        check = new Probe(
            kind,
            kind == HealthCheckKind.Http ? request.Path ?? Probe.Default.Path : request.Path,
            request.IntervalSeconds ?? Probe.Default.IntervalSeconds,
            request.TimeoutSeconds ?? Probe.Default.TimeoutSeconds);
        return null;
    }

    private static bool TryParseKind(string text, out HealthCheckKind kind)
    {
        kind = HealthCheckKind.Http;
        var name = Enum.GetNames<HealthCheckKind>().FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
        return name is not null && Enum.TryParse(name, out kind);
    }

    private static string? CheckRepositoryUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return null;
        if (url.Length > 2000) return "At most 2000 characters.";
        return Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? null
            : "Must be an absolute http(s) URL.";
    }

    private static string? CheckCommand(string[]? command)
    {
        if (command is null) return null;
        if (command.Length > MaxCommandParts) return $"At most {MaxCommandParts} parts.";
        if (command.Any(part => part is null)) return "Parts cannot be null.";
        if (command.Sum(part => part.Length) > VariableName.MaxValueLength) return $"At most {VariableName.MaxValueLength} characters in all.";
        return null;
    }
}

/// <summary>Merge-patch arithmetic for variable and secret maps.</summary>
public static class Variables
{
    /// <summary>A copy of <paramref name="current"/> with the patch applied: values set, nulls remove.
    /// A null patch removes everything.</summary>
    public static Dictionary<string, string?> Merge(Dictionary<string, string?> current, Dictionary<string, string?>? patch)
    {
        if (patch is null) return [];
        var merged = new Dictionary<string, string?>(current, StringComparer.Ordinal);
        foreach (var (name, value) in patch)
        {
            if (value is null) merged.Remove(name);
            else merged[name] = value;
        }
        return merged;
    }

    /// <summary>Field errors for a patch map: names always, values only where one is set (null means remove).</summary>
    public static Dictionary<string, string> CheckPatch(IReadOnlyDictionary<string, string?>? patch, string field)
    {
        if (patch is null) return [];
        var errors = VariableName.CheckAll(patch.Where(v => v.Value is not null).ToDictionary(v => v.Key, v => v.Value!), field);
        foreach (var name in patch.Where(v => v.Value is null).Select(v => v.Key))
            if (VariableName.Check(name) is { } error) errors[$"{field}.{name}"] = error;
        return errors;
    }
}
