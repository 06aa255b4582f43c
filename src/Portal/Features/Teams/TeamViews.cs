using Paddock.Domain.Teams;
using Paddock.Domain.Tokens;

namespace Paddock.Portal.Features.Teams;

public sealed record TeamView(Guid Id, string Name, string DisplayName, DateTime CreatedAt)
{
    public static TeamView From(Team team) => new(team.Id, team.Name.Value, team.DisplayName, team.CreatedAt);
}

public sealed record TeamMemberView(Guid UserId, string Email, string DisplayName, TeamRole Role, DateTime AddedAt);

public sealed record TeamDetailView(Guid Id, string Name, string DisplayName, DateTime CreatedAt, IReadOnlyList<TeamMemberView> Members,
    QuotaView? Quota, IReadOnlyList<string>? AllowedRegistries = null, ResourceQuotaView? ResourceQuota = null);

/// <summary>What each of the team's environments may use in total (a Kubernetes ResourceQuota); null fields are
/// unlimited. A team without one gets its cluster's default quota, if the cluster has one.</summary>
public sealed record QuotaView(int? CpuMillicores, int? MemoryMiB, int? Pods)
{
    public static QuotaView? Of(EnvironmentQuota? quota) => quota is null ? null : new(quota.CpuMillicores, quota.MemoryMiB, quota.Pods);

    /// <summary>In words, as "cpu 2000m, memory 2048Mi, pods 10".</summary>
    public string Describe() => new EnvironmentQuota(CpuMillicores, MemoryMiB, Pods).ToString();
}

/// <summary>How many databases and resources (of every provisioned type) the team's environments may hold together;
/// null fields are unlimited. In a <c>PATCH</c>, only platform admins may send it; <c>{}</c> removes it.</summary>
public sealed record ResourceQuotaView(int? Databases, int? Resources)
{
    public static ResourceQuotaView? Of(ResourceQuota? quota) => quota is null ? null : new(quota.Databases, quota.Resources);

    public ResourceQuota ToQuota() => new(Databases, Resources);
}

/// <summary>A team with its row version, which the API hands out as the ETag.</summary>
public sealed record VersionedTeam(TeamDetailView Team, uint Version);

/// <summary>A member after an add or role change; <see cref="Added"/> tells the API to answer 201 rather than 200.</summary>
public sealed record MemberChange(TeamMemberView Member, bool Added);

public sealed record CreateTeamRequest(string? Name, string? DisplayName);

/// <summary>The display name and the quota can change; <see cref="Name"/> is accepted so that a client sending the
/// whole team back gets a clear answer when it differs. A missing field is left as it is; a quota with no field set
/// (<c>{}</c>) removes the team's quota.</summary>
/// <see cref="AllowedRegistries"/> narrows the platform's allowed registries for the team's images (<c>[]</c> removes
/// the team's own list).
public sealed record UpdateTeamRequest(string? Name, string? DisplayName, QuotaRequest? Quota = null, string[]? AllowedRegistries = null,
    ResourceQuotaView? ResourceQuota = null);

public sealed record QuotaRequest(int? CpuMillicores, int? MemoryMiB, int? Pods)
{
    public EnvironmentQuota ToQuota() => new(CpuMillicores, MemoryMiB, Pods);

    /// <summary>Null when valid; else what is wrong, for a field error.</summary>
    public string? Check() => ToQuota().Check();
}

/// <summary>Who (by <see cref="Email"/> or <see cref="UserId"/>) and which role.</summary>
public sealed record SetMemberRequest(string? Email, Guid? UserId, TeamRole? Role);

public sealed record CreateTeamTokenRequest(string? Name, TokenScope? Scope, DateTimeOffset? ExpiresAt);
