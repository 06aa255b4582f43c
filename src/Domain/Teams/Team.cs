using Paddock.Domain.Names;

namespace Paddock.Domain.Teams;

public sealed class Team
{
    private readonly List<TeamMember> _members = [];

    public Guid Id { get; private set; }
    public TeamName Name { get; private set; }
    public string DisplayName { get; private set; } = "";
    public DateTime CreatedAt { get; private set; }
    /// <summary>The ResourceQuota each of the team's environments gets; null: the backend's default (or none).</summary>
    public EnvironmentQuota? Quota { get; private set; }
    /// <summary>How many databases and resources the team's environments may hold together; null: no limit.</summary>
    public ResourceQuota? ResourceQuota { get; private set; }
    public IReadOnlyList<TeamMember> Members => _members;
    /// <summary>The registries the team's images may come from, within the platform's list; null or empty: the
    /// platform's list as it is.</summary>
    public string[]? AllowedRegistries { get; private set; }

    private Team() { }

    public Team(TeamName name, string? displayName, DateTime createdAt)
    {
        Id = Guid.CreateVersion7();
        Name = name;
        DisplayName = string.IsNullOrWhiteSpace(displayName) ? name.Value : displayName.Trim();
        CreatedAt = createdAt;
    }

    public void Rename(string displayName) => DisplayName = displayName.Trim();

    /// <summary>Sets the team's quota; an empty one (no resource limited) removes it, so the backend's default applies.</summary>
    public void SetQuota(EnvironmentQuota? quota) => Quota = quota is null || quota.IsEmpty ? null : quota;

    /// <summary>Sets the team's resource quota; an empty one (nothing limited) removes it.</summary>
    public void SetResourceQuota(ResourceQuota? quota) => ResourceQuota = quota is null || quota.IsEmpty ? null : quota;

    /// <summary>Sets the team's own registry list (hosts as normalised by <see cref="Registries.RegistryHost"/>); an
    /// empty list removes it. The caller checked it against the platform's list.</summary>
    public void SetAllowedRegistries(IEnumerable<string> hosts)
    {
        var list = hosts.Select(Registries.RegistryHost.Normalize).Distinct().Order(StringComparer.Ordinal).ToArray();
        AllowedRegistries = list.Length == 0 ? null : list;
    }

    public TeamMember? MemberFor(Guid userId) => _members.FirstOrDefault(m => m.UserId == userId);

    /// <summary>Adds the user, or changes their role when they already belong to the team.</summary>
    public TeamMember SetMember(Guid userId, TeamRole role, DateTime at)
    {
        var existing = MemberFor(userId);
        if (existing is not null)
        {
            existing.ChangeRole(role);
            return existing;
        }
        var member = new TeamMember(Id, userId, role, at);
        _members.Add(member);
        return member;
    }

    public const string LastOwnerRefusal = "A team needs at least one owner; make someone else owner first.";

    /// <summary>Null when <paramref name="userId"/> may take <paramref name="role"/>; else why not (demoting the
    /// last owner would orphan the team, just like removing them).</summary>
    public string? RefusalToSetRole(Guid userId, TeamRole role) =>
        role != TeamRole.Owner && IsLastOwner(userId) ? LastOwnerRefusal : null;

    private bool IsLastOwner(Guid userId) =>
        MemberFor(userId)?.Role == TeamRole.Owner && _members.Count(m => m.Role == TeamRole.Owner) == 1;

    /// <summary>Removes the member; refuses to remove the last owner, which would orphan the team.</summary>
    public bool RemoveMember(Guid userId, out string? refusal)
    {
        refusal = null;
        var member = MemberFor(userId);
        if (member is null) return false;
        if (IsLastOwner(userId))
        {
            refusal = LastOwnerRefusal;
            return false;
        }
        _members.Remove(member);
        return true;
    }
}
