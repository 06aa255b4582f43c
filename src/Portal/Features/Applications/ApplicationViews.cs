using Paddock.Domain.Applications;

namespace Paddock.Portal.Features.Applications;

/// <summary>An application as the API shows it. Secrets appear by name and version only, never by value; registry
/// credentials by server, username and version, never the password.</summary>
public sealed record AppView(
    Guid Id,
    string Name,
    string Team,
    string Description,
    string? RepositoryUrl,
    string Image,
    int Port,
    string[]? Command,
    IReadOnlyDictionary<string, string> Env,
    IReadOnlyList<SecretView> Secrets,
    HealthCheckView HealthCheck,
    int Replicas,
    LimitsView Limits,
    DateTime CreatedAt,
    RegistryCredentialsView? RegistryCredentials,
    int? StopGracePeriodSeconds)
{
    public static AppView Of(Application app, string team, IReadOnlyList<SecretView> secrets, RegistryCredentialsView? registryCredentials) => new(
        app.Id, app.Name.Value, team, app.Description, app.RepositoryUrl, app.Image, app.Port, app.Command,
        new SortedDictionary<string, string>(app.Variables, StringComparer.Ordinal), secrets,
        HealthCheckView.Of(app.HealthCheck), app.Replicas, LimitsView.Of(app.Limits), app.CreatedAt, registryCredentials,
        app.StopGracePeriodSeconds);
}

/// <summary>A secret's current version; <see cref="Source"/> says where an environment's effective secret comes from.</summary>
public sealed record SecretView(string Name, int Version, DateTime UpdatedAt, string? Source = null);

public sealed record HealthCheckView(string Type, string? Path, int IntervalSeconds, int TimeoutSeconds)
{
    public static HealthCheckView Of(HealthCheck check) =>
        new(check.Kind.ToString().ToLowerInvariant(), check.Path, check.IntervalSeconds, check.TimeoutSeconds);
}

public sealed record LimitsView(int? CpuMillicores, int? MemoryMiB)
{
    public static LimitsView Of(ResourceLimits limits) => new(limits.CpuMillicores, limits.MemoryMiB);
}
