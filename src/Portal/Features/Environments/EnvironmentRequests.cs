using Paddock.Portal.Features.Applications;
using Paddock.Portal.Api;

namespace Paddock.Portal.Features.Environments;

/// <summary><see cref="Stage"/>: Development, Staging, Production or Preview (any case). The other fields
/// override the application's settings; <see cref="Secrets"/> are values for this environment only.
/// <see cref="CopyFrom"/> seeds the new environment's databases with another environment's data.</summary>
public sealed record CreateEnvironmentRequest(
    string? Name,
    string? Stage,
    string? Backend,
    string? Image = null,
    int? Replicas = null,
    LimitsRequest? Limits = null,
    Dictionary<string, string?>? Env = null,
    Dictionary<string, string?>? Secrets = null,
    RegistryCredentialsRequest? RegistryCredentials = null,
    int? StopGracePeriodSeconds = null,
    CopyFromRequest? CopyFrom = null);

/// <summary>A JSON merge patch of an environment: null in <see cref="Image"/>, <see cref="Replicas"/> or a limit
/// returns to the application's value; null entries in <see cref="Env"/>/<see cref="Secrets"/> drop that override.
/// <see cref="Name"/> and <see cref="Backend"/> cannot change and are only compared.</summary>
public sealed record EnvironmentPatch
{
    public Optional<string?> Name { get; init; }
    public Optional<string?> Stage { get; init; }
    public Optional<string?> Backend { get; init; }
    public Optional<string?> Image { get; init; }
    public Optional<int?> Replicas { get; init; }
    public Optional<LimitsPatch?> Limits { get; init; }
    /// <summary>Seconds between SIGTERM and SIGKILL when an instance stops (0–3600); null returns to the application's.</summary>
    public Optional<int?> StopGracePeriodSeconds { get; init; }
    public Optional<Dictionary<string, string?>?> Env { get; init; }
    public Optional<Dictionary<string, string?>?> Secrets { get; init; }
    /// <summary>This environment's own registry credentials (all three fields); null returns to the application's.</summary>
    public Optional<RegistryCredentialsRequest?> RegistryCredentials { get; init; }
    /// <summary>Whether the reconciler repairs drift; null returns to the default (on).</summary>
    public Optional<bool?> SelfHeal { get; init; }
    /// <summary>What the environment's resources' data becomes when they go: delete, retain or snapshot (any case);
    /// null returns to the stage's default (production snapshot, others delete).</summary>
    public Optional<string?> ResourcePolicy { get; init; }

    public static EnvironmentPatch Read(MergePatch json) => new()
    {
        Name = json.Get<string>("name"),
        Stage = json.Get<string>("stage"),
        Backend = json.Get<string>("backend"),
        Image = json.Get<string>("image"),
        Replicas = json.Get<int?>("replicas"),
        Limits = json.GetObject("limits", LimitsPatch.Read),
        StopGracePeriodSeconds = json.Get<int?>("stopGracePeriodSeconds"),
        Env = json.Get<Dictionary<string, string?>>("env"),
        Secrets = json.Get<Dictionary<string, string?>>("secrets"),
        SelfHeal = json.Get<bool?>("selfHeal"),
        ResourcePolicy = json.Get<string>("resourcePolicy"),
        RegistryCredentials = json.GetObject("registryCredentials", AppPatch.ReadRegistryCredentials),
    };
}
