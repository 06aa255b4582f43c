using Paddock.Domain.Applications;
using Paddock.Domain.Environments;
using Paddock.Portal.Api;
using Paddock.Portal.Features.Applications;

namespace Paddock.Portal.Features.Environments;

/// <summary>What a create request or a patched environment wants its stage and overrides to be, checked
/// by one set of rules. Null overrides inherit the application's values.</summary>
public sealed record EnvironmentSettings(
    string? Stage,
    string? Image,
    int? Replicas,
    LimitsRequest? Limits,
    Dictionary<string, string?> Env,
    int? StopGracePeriodSeconds = null)
{
    public static EnvironmentSettings From(CreateEnvironmentRequest request) =>
        new(request.Stage, request.Image, request.Replicas, request.Limits, request.Env ?? [], request.StopGracePeriodSeconds);

    public static EnvironmentSettings From(AppEnvironment env) => new(
        env.Stage.ToString(), env.Overrides.Image, env.Overrides.Replicas,
        new LimitsRequest(env.Overrides.CpuMillicores, env.Overrides.MemoryMiB),
        env.VariableOverrides.ToDictionary(v => v.Key, v => (string?)v.Value),
        env.Overrides.StopGracePeriodSeconds);

    public EnvironmentSettings With(EnvironmentPatch patch) => new(
        patch.Stage.Or(Stage),
        patch.Image.Or(Image),
        patch.Replicas.Or(Replicas),
        patch.Limits switch
        {
            { IsSet: false } => Limits,
            { Value: null } => null,
            { Value: var p } => new LimitsRequest(p.CpuMillicores.Or(Limits?.CpuMillicores), p.MemoryMiB.Or(Limits?.MemoryMiB)),
        },
        patch.Env.IsSet ? Variables.Merge(Env, patch.Env.Value) : Env,
        patch.StopGracePeriodSeconds.Or(StopGracePeriodSeconds));

    public void Validate(FieldErrors errors)
    {
        errors.Add("stage", TryParseStage(Stage, out _) ? null : $"Use one of {string.Join(", ", Enum.GetNames<Stage>())}.");
        if (Image is not null) errors.Add("image", ImageReference.Check(Image));
        if (Replicas is { } replicas) errors.Add("replicas", Application.CheckReplicas(replicas));
        errors.Add("limits", AppSettings.ToLimits(Limits).Check());
        errors.AddAll(VariableName.CheckAll(Env!, "env"));
        errors.Add("stopGracePeriodSeconds", Application.CheckStopGracePeriod(StopGracePeriodSeconds));
    }

    /// <summary>Copies stage and overrides onto the entity; call only after <see cref="Validate"/> found nothing.</summary>
    public void ApplyTo(AppEnvironment env)
    {
        if (!TryParseStage(Stage, out var stage)) throw new InvalidOperationException($"Stage '{Stage}' was not validated first.");
        env.ChangeStage(stage);
        env.Overrides = new EnvironmentOverrides(Image, Replicas, Limits?.CpuMillicores, Limits?.MemoryMiB, StopGracePeriodSeconds);
        env.VariableOverrides = Env.ToDictionary(v => v.Key, v => v.Value!);
    }

    /// <summary>Stage names in any case; numbers are refused even though enums would parse them.</summary>
    public static bool TryParseStage(string? text, out Stage stage)
    {
        stage = default;
        var name = Enum.GetNames<Stage>().FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
        return name is not null && Enum.TryParse(name, out stage);
    }
}
