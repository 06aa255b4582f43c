using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paddock.Domain.Names;
using Paddock.Domain.Teams;
using Paddock.Integration.Tests.Infrastructure;
using Paddock.Persistence;
using Paddock.Persistence.Audit;

namespace Paddock.Integration.Tests.Audit;

public sealed class AuditConcurrencyTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task Twenty_concurrent_writers_leave_one_valid_chain_without_gaps_or_duplicates()
    {
        const int writers = 20;
        const int savesPerWriter = 3;
        var run = Guid.NewGuid().ToString("N")[..8];

        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < savesPerWriter; i++)
            {
                await using var scope = portal.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<PaddockDbContext>();
                var team = new Team(TeamName.Parse($"c{run}-{w}-{i}"), null, DateTime.UtcNow);
                db.Teams.Add(team);
                await scope.ServiceProvider.GetRequiredService<AuditLog>().SaveChangesAsync(
                    AuditTestData.Entry("test.concurrent", team.Id, actorId: $"writer-{w}"), CancellationToken.None);
            }
        })));

        await using var check = portal.Services.CreateAsyncScope();
        var events = await check.ServiceProvider.GetRequiredService<PaddockDbContext>().AuditEvents
            .OrderBy(e => e.Sequence).Select(e => new { e.Sequence, e.Action, e.TeamId }).ToListAsync();
        Assert.Equal(Enumerable.Range(1, events.Count).Select(n => (long)n), events.Select(e => e.Sequence));
        var concurrent = events.Where(e => e.Action == "test.concurrent").ToList();
        Assert.Equal(writers * savesPerWriter, concurrent.Count);
        Assert.Equal(writers * savesPerWriter, concurrent.Select(e => e.TeamId).Distinct().Count());

        var result = await AuditTestData.VerifyAsync(portal);
        Assert.True(result.GetProperty("valid").GetBoolean(), result.GetProperty("reason").GetString());
        Assert.Equal(events.Count, result.GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task A_failed_save_writes_neither_the_change_nor_its_event()
    {
        var name = $"dup-{Guid.NewGuid():N}"[..20];
        await portal.CreateTeamAsync(name);
        var before = await AuditTestData.HeadAsync(portal);

        await using var scope = portal.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<PaddockDbContext>().Teams.Add(new Team(TeamName.Parse(name), null, DateTime.UtcNow));
        await Assert.ThrowsAsync<DbUpdateException>(() => scope.ServiceProvider.GetRequiredService<AuditLog>()
            .SaveChangesAsync(AuditTestData.Entry("test.duplicate"), CancellationToken.None));

        Assert.Equal(before, await AuditTestData.HeadAsync(portal));
        Assert.True((await AuditTestData.VerifyAsync(portal)).GetProperty("valid").GetBoolean());
    }
}
