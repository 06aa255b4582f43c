namespace Paddock.Domain.Teams;

public sealed class TeamMember
{
    public Guid TeamId { get; private set; }
    public Guid UserId { get; private set; }
    public TeamRole Role { get; private set; }
    public DateTime AddedAt { get; private set; }

    private TeamMember() { }

    internal TeamMember(Guid teamId, Guid userId, TeamRole role, DateTime addedAt)
    {
        TeamId = teamId;
        UserId = userId;
        Role = role;
        AddedAt = addedAt;
    }

    internal void ChangeRole(TeamRole role) => Role = role;
}
