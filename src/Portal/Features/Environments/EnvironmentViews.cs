using Paddock.Domain.Applications;
using Paddock.Domain.Environments;
using Paddock.Portal.Features.Applications;

namespace Paddock.Portal.Features.Environments;

/// <summary>An environment as the API shows it: what it overrides, what it ends up with, and how it is doing.
/// Secrets appear by name and version only.</summary>
/// <param name="WorkloadRevision">The app's workload revision the environment's current deployment runs (null before it
/// ran one, or for a deployment from before revisions were recorded).</param>
/// <param name="LatestWorkloadRevision">The app's newest workload revision: an environment whose
/// <paramref name="WorkloadRevision"/> is lower runs an older workload until someone deploys there.</param>
public sealed record EnvironmentView(
    Guid Id,
    string App,
    string Name,
    Stage Stage,
    string Backend,
    string ResourceName,
    OverridesView Overrides,
    EffectiveSettingsView Effective,
    EnvironmentStatus Status,
    string? StatusReason,
    string? Url,
    EnvironmentHealth Health,
    EnvironmentSync Sync,
    Guid? CurrentDeploymentId,
    string CreatedBy,
    DateTime CreatedAt,
    bool SelfHeal,
    int? WorkloadRevision = null,
    int? LatestWorkloadRevision = null,
    Domain.Resources.ResourcePolicy ResourcePolicy = Domain.Resources.ResourcePolicy.Delete,
    bool ResourcePolicyFromStage = true)
{
    public const string FromApplication = "application";
    public const string FromEnvironment = "environment";

    public static EnvironmentView Of(Application app, AppEnvironment env, IReadOnlyCollection<SecretState> latestSecrets, RegistryLevels registry)
    {
        var ownRegistry = registry.Of(env.Id);
        var effectiveRegistry = ownRegistry is not null ? ownRegistry with { Source = FromEnvironment }
            : registry.Application is { } inherited ? inherited with { Source = FromApplication } : null;
        var appSecrets = SecretStore.CurrentAt(latestSecrets, null);
        var envSecrets = SecretStore.CurrentAt(latestSecrets, env.Id);
        var effectiveSecrets = appSecrets.Select(s => s with { Source = FromApplication })
            .Where(s => envSecrets.All(e => e.Name != s.Name))
            .Concat(envSecrets.Select(s => s with { Source = FromEnvironment }))
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        var effectiveEnv = new SortedDictionary<string, string>(app.Variables, StringComparer.Ordinal);
        foreach (var (name, value) in env.VariableOverrides) effectiveEnv[name] = value;

        return new EnvironmentView(
            env.Id, app.Name.Value, env.Name.Value, env.Stage, env.Backend, env.ResourceName.Value,
            new OverridesView(
                env.Overrides.Image, env.Overrides.Replicas,
                new LimitsView(env.Overrides.CpuMillicores, env.Overrides.MemoryMiB),
                new SortedDictionary<string, string>(env.VariableOverrides, StringComparer.Ordinal),
                envSecrets,
                ownRegistry,
                env.Overrides.StopGracePeriodSeconds),
            new EffectiveSettingsView(
                env.Overrides.Image ?? app.Image,
                env.Overrides.Replicas ?? app.Replicas,
                LimitsView.Of(env.Overrides.LimitsOver(app.Limits)),
                effectiveEnv,
                effectiveSecrets,
                effectiveRegistry,
                env.Overrides.StopGracePeriodSeconds ?? app.StopGracePeriodSeconds ?? (int)Domain.Backends.WorkloadSpec.DefaultStopGracePeriod.TotalSeconds),
            env.Status, env.StatusReason, env.Url, env.Health, env.Sync, env.CurrentDeploymentId, env.CreatedBy, env.CreatedAt,
            env.SelfHeal, ResourcePolicy: env.EffectiveResourcePolicy, ResourcePolicyFromStage: env.ResourcePolicy is null);
    }
}

public sealed record OverridesView(
    string? Image,
    int? Replicas,
    LimitsView Limits,
    IReadOnlyDictionary<string, string> Env,
    IReadOnlyList<SecretView> Secrets,
    RegistryCredentialsView? RegistryCredentials,
    int? StopGracePeriodSeconds);

/// <summary>The application's settings with the environment's overrides applied: what a deployment would use.</summary>
public sealed record EffectiveSettingsView(
    string Image,
    int Replicas,
    LimitsView Limits,
    IReadOnlyDictionary<string, string> Env,
    IReadOnlyList<SecretView> Secrets,
    RegistryCredentialsView? RegistryCredentials,
    int StopGracePeriodSeconds);
