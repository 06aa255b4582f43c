using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Paddock.Integration.Tests.Infrastructure;
using Paddock.Portal.Features.Sources;

namespace Paddock.Integration.Tests.Sources;

/// <summary>With several portal processes on one database, exactly one follows git: the one holding the follower's
/// advisory lock. A second poller (standing in for another process: its own connections) waits, and takes over when
/// the leader stops.</summary>
public sealed class GitFollowerLeadershipTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task Exactly_one_poller_follows_git_and_another_takes_over_when_it_stops()
    {
        var leader = portal.Services.GetRequiredService<GitPoller>();
        await Eventually.HoldsAsync(() => leader.IsLeader, "The portal's poller leading", TimeSpan.FromSeconds(15));
        var other = new GitPoller(portal.Services.GetRequiredService<IServiceScopeFactory>(), new GitSettings(), portal.AppConnectionString,
            TimeProvider.System, NullLogger<GitPoller>.Instance);
        await other.StartAsync(CancellationToken.None);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.False(other.IsLeader, "A second poller leads while the first holds the lock.");

            await leader.StopAsync(CancellationToken.None);
            Assert.False(leader.IsLeader);
            await Eventually.HoldsAsync(() => other.IsLeader, "The second poller taking over", TimeSpan.FromSeconds(15));
        }
        finally
        {
            await other.StopAsync(CancellationToken.None);
        }
    }
}
