using Paddock.Domain.Access;
using Paddock.Domain.Teams;
using Paddock.Domain.Tokens;

namespace Paddock.Domain.Tests.Access;

public sealed class TeamAccessRulesTests
{
    private static readonly Guid TeamId = Guid.NewGuid();
    private static readonly Actor User = Actor.ForUser(Guid.NewGuid(), "dev@example.com", isPlatformAdmin: false);

    [Theory]
    [InlineData(TeamRole.Owner, TeamAccess.Own)]
    [InlineData(TeamRole.Member, TeamAccess.Manage)]
    [InlineData(TeamRole.Viewer, TeamAccess.Read)]
    public void A_members_access_follows_their_role(TeamRole role, TeamAccess expected) =>
        Assert.Equal(expected, TeamAccessRules.For(User, TeamId, role));

    [Fact]
    public void A_user_outside_the_team_has_no_access() =>
        Assert.Equal(TeamAccess.None, TeamAccessRules.For(User, TeamId, membershipRole: null));

    [Fact]
    public void A_platform_admin_owns_every_team_without_membership() =>
        Assert.Equal(TeamAccess.Own, TeamAccessRules.For(User with { IsPlatformAdmin = true }, TeamId, null));

    [Theory]
    [InlineData(TokenScope.Read, TeamAccess.Read)]
    [InlineData(TokenScope.Deploy, TeamAccess.Deploy)]
    public void A_team_token_acts_in_its_own_team_by_its_scope(TokenScope scope, TeamAccess expected) =>
        Assert.Equal(expected, TeamAccessRules.For(Actor.ForTeamToken(Guid.NewGuid(), "ci", TeamId, scope), TeamId, null));

    [Fact]
    public void A_team_token_has_no_access_to_another_team() =>
        Assert.Equal(TeamAccess.None, TeamAccessRules.For(Actor.ForTeamToken(Guid.NewGuid(), "ci", Guid.NewGuid(), TokenScope.Deploy), TeamId, null));

    [Fact]
    public void Anonymous_callers_have_no_access() =>
        Assert.Equal(TeamAccess.None, TeamAccessRules.For(Actor.Anonymous, TeamId, null));
}
