using Paddock.Domain.Teams;

namespace Paddock.Domain.Tests.Teams;

public sealed class ResourceQuotaTests
{
    [Theory]
    [InlineData(2, 5, null)]
    [InlineData(3, 5, "resourceQuota.databases = 2")]
    [InlineData(1, 6, "resourceQuota.resources = 5")]
    public void A_team_over_either_limit_is_told_which_quota_it_exceeds(int databases, int resources, string? named)
    {
        var reason = new ResourceQuota(Databases: 2, Resources: 5).Exceeded("payments", databases, resources);

        if (named is null) Assert.Null(reason);
        else Assert.Contains(named, reason);
    }

    [Fact]
    public void No_limit_on_a_count_lets_any_number_through_and_zero_allows_none()
    {
        Assert.Null(new ResourceQuota(null, null).Exceeded("payments", 1000, 1000));
        Assert.Contains("resourceQuota.databases = 0", new ResourceQuota(0, null).Exceeded("payments", 1, 1));
    }

    [Fact]
    public void A_negative_limit_is_refused_and_an_empty_quota_removes_the_teams()
    {
        Assert.NotNull(new ResourceQuota(-1, null).Check());
        Assert.NotNull(new ResourceQuota(null, ResourceQuota.Maximum + 1).Check());
        var team = new Team(Paddock.Domain.Names.TeamName.Parse("payments"), null, DateTime.UnixEpoch);
        team.SetResourceQuota(new ResourceQuota(1, null));
        team.SetResourceQuota(new ResourceQuota(null, null));
        Assert.Null(team.ResourceQuota);
    }
}
