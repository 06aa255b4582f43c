using Paddock.Domain.Names;
using Paddock.Domain.Teams;

namespace Paddock.Domain.Tests.Teams;

public sealed class TeamMembershipTests
{
    private static readonly DateTime Now = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly Guid _owner = Guid.NewGuid();
    private readonly Guid _other = Guid.NewGuid();

    private Team TeamOwnedBy(Guid owner)
    {
        var team = new Team(TeamName.Parse("payments"), null, Now);
        team.SetMember(owner, TeamRole.Owner, Now);
        return team;
    }

    [Fact]
    public void Setting_a_member_twice_changes_their_role_instead_of_adding_them_again()
    {
        var team = TeamOwnedBy(_owner);
        team.SetMember(_other, TeamRole.Viewer, Now);
        team.SetMember(_other, TeamRole.Member, Now);

        Assert.Equal(2, team.Members.Count);
        Assert.Equal(TeamRole.Member, team.MemberFor(_other)!.Role);
    }

    [Fact]
    public void The_last_owner_cannot_be_removed()
    {
        var team = TeamOwnedBy(_owner);

        Assert.False(team.RemoveMember(_owner, out var refusal));
        Assert.Equal(Team.LastOwnerRefusal, refusal);
        Assert.NotNull(team.MemberFor(_owner));
    }

    [Fact]
    public void An_owner_can_be_removed_once_someone_else_owns_the_team()
    {
        var team = TeamOwnedBy(_owner);
        team.SetMember(_other, TeamRole.Owner, Now);

        Assert.True(team.RemoveMember(_owner, out var refusal));
        Assert.Null(refusal);
        Assert.Null(team.MemberFor(_owner));
    }

    [Theory]
    [InlineData(TeamRole.Member)]
    [InlineData(TeamRole.Viewer)]
    public void The_last_owner_cannot_be_demoted(TeamRole lowerRole)
    {
        var team = TeamOwnedBy(_owner);

        Assert.Equal(Team.LastOwnerRefusal, team.RefusalToSetRole(_owner, lowerRole));
        Assert.Null(team.RefusalToSetRole(_owner, TeamRole.Owner));
    }

    [Fact]
    public void Anyone_else_may_take_any_role()
    {
        var team = TeamOwnedBy(_owner);
        team.SetMember(_other, TeamRole.Owner, Now);

        Assert.Null(team.RefusalToSetRole(_owner, TeamRole.Viewer));
        Assert.Null(team.RefusalToSetRole(Guid.NewGuid(), TeamRole.Viewer));
    }

    [Fact]
    public void Removing_someone_who_is_not_a_member_reports_nothing_removed_without_a_refusal()
    {
        var team = TeamOwnedBy(_owner);

        Assert.False(team.RemoveMember(_other, out var refusal));
        Assert.Null(refusal);
    }
}
