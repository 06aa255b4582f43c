using Paddock.Portal.Api;

namespace Paddock.Portal.Features.Applications;

public sealed record CreateAppRequest(
    string? Name,
    string? Team,
    string? Image,
    int? Port,
    string? Description = null,
    string? RepositoryUrl = null,
    string[]? Command = null,
    Dictionary<string, string?>? Env = null,
    Dictionary<string, string?>? Secrets = null,
    HealthCheckRequest? HealthCheck = null,
    int? Replicas = null,
    LimitsRequest? Limits = null,
    RegistryCredentialsRequest? RegistryCredentials = null,
    int? StopGracePeriodSeconds = null);

/// <summary><see cref="Type"/> is "http" or "tcp"; omitted numbers take the defaults.</summary>
public sealed record HealthCheckRequest(string? Type, string? Path, int? IntervalSeconds = null, int? TimeoutSeconds = null);

public sealed record LimitsRequest(int? CpuMillicores, int? MemoryMiB);

/// <summary>A JSON merge patch of an application: absent fields stay, null removes or resets. In
/// <see cref="Env"/> and <see cref="Secrets"/> a null value removes that one entry; a secret value adds a version.
/// <see cref="Name"/> and <see cref="Team"/> cannot change and are only compared.</summary>
public sealed record AppPatch
{
    public Optional<string?> Name { get; init; }
    public Optional<string?> Team { get; init; }
    public Optional<string?> Description { get; init; }
    public Optional<string?> RepositoryUrl { get; init; }
    public Optional<string?> Image { get; init; }
    public Optional<int?> Port { get; init; }
    public Optional<string[]?> Command { get; init; }
    public Optional<Dictionary<string, string?>?> Env { get; init; }
    public Optional<Dictionary<string, string?>?> Secrets { get; init; }
    public Optional<HealthCheckPatch?> HealthCheck { get; init; }
    public Optional<int?> Replicas { get; init; }
    public Optional<LimitsPatch?> Limits { get; init; }
    /// <summary>Seconds between SIGTERM and SIGKILL when an instance stops (0–3600); null returns to the default (10).</summary>
    public Optional<int?> StopGracePeriodSeconds { get; init; }
    /// <summary>Replaces the credentials as a whole (all three fields), or removes them with null.</summary>
    public Optional<RegistryCredentialsRequest?> RegistryCredentials { get; init; }

    public static AppPatch Read(MergePatch json) => new()
    {
        Name = json.Get<string>("name"),
        Team = json.Get<string>("team"),
        Description = json.Get<string>("description"),
        RepositoryUrl = json.Get<string>("repositoryUrl"),
        Image = json.Get<string>("image"),
        Port = json.Get<int?>("port"),
        Command = json.Get<string[]>("command"),
        Env = json.Get<Dictionary<string, string?>>("env"),
        Secrets = json.Get<Dictionary<string, string?>>("secrets"),
        HealthCheck = json.GetObject("healthCheck", HealthCheckPatch.Read),
        Replicas = json.Get<int?>("replicas"),
        Limits = json.GetObject("limits", LimitsPatch.Read),
        StopGracePeriodSeconds = json.Get<int?>("stopGracePeriodSeconds"),
        RegistryCredentials = json.GetObject("registryCredentials", ReadRegistryCredentials),
    };

    public static RegistryCredentialsRequest ReadRegistryCredentials(MergePatch json) =>
        new(json.Get<string>("server").Value, json.Get<string>("username").Value, json.Get<string>("password").Value);
}

public sealed record HealthCheckPatch(Optional<string?> Type, Optional<string?> Path, Optional<int?> IntervalSeconds, Optional<int?> TimeoutSeconds)
{
    public static HealthCheckPatch Read(MergePatch json) => new(
        json.Get<string>("type"), json.Get<string>("path"), json.Get<int?>("intervalSeconds"), json.Get<int?>("timeoutSeconds"));
}

public sealed record LimitsPatch(Optional<int?> CpuMillicores, Optional<int?> MemoryMiB)
{
    public static LimitsPatch Read(MergePatch json) => new(json.Get<int?>("cpuMillicores"), json.Get<int?>("memoryMiB"));
}
