using Paddock.Domain.Deployments;
using Paddock.Portal.Features.Applications;

namespace Paddock.Portal.Features.Deployments;

/// <summary>A deployment as the API shows it. Its snapshot names secrets by name and pinned version, never by value.</summary>
public sealed record DeploymentView(
    Guid Id,
    string Url,
    int Revision,
    string App,
    string Environment,
    string Image,
    string? ImageDigest,
    DeploymentStatus Status,
    string? FailureReason,
    TriggeredByView TriggeredBy,
    IReadOnlyList<string> Tickets,
    string? Message,
    Guid? RedeployOf,
    SnapshotView Snapshot,
    DateTime QueuedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    DateTime? CancelRequestedAt,
    double? DurationSeconds,
    DateTime? RetiringSince,
    DateTime? RetiredAt)
{
    public static string UrlOf(Guid id) => $"/api/v1/deployments/{id}";

    /// <summary><c>sha256:</c> and the first 12 hex digits, as engines print image ids; enough to tell contents apart.</summary>
    public static string? ShortDigest(string? digest) =>
        digest is null ? null : digest.Length > 19 && digest.StartsWith("sha256:", StringComparison.Ordinal) ? digest[..19] : digest;

    public static DeploymentView Of(Deployment deployment, string app, string environment) => new(
        deployment.Id, UrlOf(deployment.Id), deployment.Revision, app, environment, deployment.Image, deployment.ImageDigest,
        deployment.Status, deployment.FailureReason, new TriggeredByView(deployment.TriggeredById, deployment.TriggeredByName),
        deployment.Tickets, deployment.Message, deployment.RedeployOf, SnapshotView.Of(deployment.Snapshot),
        deployment.QueuedAt, deployment.StartedAt, deployment.FinishedAt, deployment.CancelRequestedAt,
        deployment is { StartedAt: { } started, FinishedAt: { } finished } ? Math.Round((finished - started).TotalSeconds, 3) : null,
        deployment.RetiringSince, deployment.RetiredAt);
}

/// <summary>A user id or <c>token:&lt;id&gt;</c> for a team token, with the name it had then.</summary>
public sealed record TriggeredByView(string Id, string Name);

public sealed record SnapshotView(
    string Image,
    string[]? Command,
    int Port,
    int Replicas,
    IReadOnlyDictionary<string, string> Env,
    IReadOnlyList<PinnedSecretView> Secrets,
    HealthCheckView HealthCheck,
    LimitsView Limits,
    string? ImageDigest,
    PinnedRegistryCredentialsView? RegistryCredentials,
    int? StopGracePeriodSeconds)
{
    public static SnapshotView Of(DeploymentSnapshot snapshot) => new(
        snapshot.Image, snapshot.Command, snapshot.Port, snapshot.Replicas, snapshot.Variables,
        snapshot.Secrets.Select(s => new PinnedSecretView(s.Name, s.Version,
            s.EnvironmentLevel ? Environments.EnvironmentView.FromEnvironment : Environments.EnvironmentView.FromApplication)).ToList(),
        HealthCheckView.Of(snapshot.HealthCheck), LimitsView.Of(snapshot.Limits), snapshot.ImageDigest,
        snapshot.Registry is { } registry
            ? new PinnedRegistryCredentialsView(registry.Server, registry.Username, registry.Version,
                registry.EnvironmentLevel ? Environments.EnvironmentView.FromEnvironment : Environments.EnvironmentView.FromApplication)
            : null,
        snapshot.StopGracePeriodSeconds);
}

public sealed record PinnedSecretView(string Name, int Version, string Source);

/// <summary>The registry credentials a deployment pulls with; the password is never shown.</summary>
public sealed record PinnedRegistryCredentialsView(string Server, string Username, int Version, string Source);

public sealed record DeploymentPageView(IReadOnlyList<DeploymentView> Items, int Page, int PageSize, int Total, int? NextPage);
