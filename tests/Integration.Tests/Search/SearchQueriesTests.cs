using System.Data.Common;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Paddock.Domain.Access;
using Paddock.Domain.Tokens;
using Paddock.Integration.Tests.Applications;
using Paddock.Integration.Tests.Infrastructure;
using Paddock.Persistence;
using Paddock.Portal.Api;
using Paddock.Portal.Components.Shared;

namespace Paddock.Integration.Tests.Search;

/// <summary>The app bar's search, against the real database.</summary>
public sealed class SearchQueriesTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task Tickets_are_found_by_the_start_of_their_key_or_part_of_their_title_only_in_teams_the_caller_sees()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var other = await TeamScenario.CreateAsync(portal);
        var project = "S" + new string(Guid.NewGuid().ToString("N").Where(char.IsLetter).Take(5).ToArray()).ToUpperInvariant().PadRight(5, 'X');
        await RecordAsync(scenario, $"{project}-12", "Refunds for 100% of orders");
        await RecordAsync(scenario, $"{project}-7", null);
        await RecordAsync(other, $"{project}-13", "Refunds elsewhere");
        var caller = new Caller(Actor.ForTeamToken(Guid.NewGuid(), "search-test", scenario.Team.Id, TokenScope.Read), "192.0.2.10", "search");

        var byKey = await FindAsync(caller, $"{project.ToLowerInvariant()}-1");
        Assert.Equal([$"{project}-12 · Refunds for 100% of orders"], byKey.Where(h => h.Kind == SearchKind.Ticket).Select(h => h.Label));
        Assert.Equal(Links.Ticket($"{project}-12", scenario.TeamName), byKey.Single(h => h.Kind == SearchKind.Ticket).Href);

        Assert.Equal([$"{project}-12", $"{project}-7"],
            (await FindAsync(caller, project)).Where(h => h.Kind == SearchKind.Ticket).Select(h => h.Label.Split(' ')[0]));
        Assert.Contains(await FindAsync(caller, "100% OF"), h => h.Label.StartsWith($"{project}-12", StringComparison.Ordinal));
        // The user's % is a character to find, not a wildcard.
        Assert.DoesNotContain(await FindAsync(caller, "refunds%orders"), h => h.Kind == SearchKind.Ticket);
    }

    [Fact]
    public async Task The_ticket_search_can_be_served_by_trigram_indexes_on_key_and_title()
    {
        // Too few rows here for the planner to pick these indexes by itself: with sequential and whole-index scans
        // priced out, the plan of the search's own SQL shows whether the indexes fit it (a key prefix OR a title
        // substring, case-insensitive, with the user's % and _ escaped).
        var plans = new PlanRecorder();
        var options = new DbContextOptionsBuilder<PaddockDbContext>();
        DbSetup.Configure(options, portal.AppConnectionString);
        await using var db = new PaddockDbContext(options.AddInterceptors(plans).Options);

        await SearchQueries.TicketMatches(db, visible: null, "refund").ToListAsync();

        Assert.True(plans.Plan.Contains("ix_tickets_key_trgm", StringComparison.Ordinal), plans.Plan);
        Assert.True(plans.Plan.Contains("ix_tickets_title_trgm", StringComparison.Ordinal), plans.Plan);
    }

    /// <summary>Explains each query, with its own parameters and on its connection, before it runs.</summary>
    private sealed class PlanRecorder : DbCommandInterceptor
    {
        public string Plan { get; private set; } = "";

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            await using var explain = (NpgsqlCommand)command.Connection!.CreateCommand();
            explain.CommandText = $"SET enable_seqscan = off; SET enable_indexscan = off; EXPLAIN {command.CommandText}; RESET enable_seqscan; RESET enable_indexscan";
            foreach (NpgsqlParameter parameter in command.Parameters) explain.Parameters.Add(parameter.Clone());
            await using var reader = await explain.ExecuteReaderAsync(cancellationToken);
            var lines = new List<string>();
            do
            {
                while (await reader.ReadAsync(cancellationToken)) lines.Add(reader.GetString(0));
            } while (await reader.NextResultAsync(cancellationToken));
            Plan = string.Join('\n', lines);
            return result;
        }
    }

    private async Task<IReadOnlyList<SearchHit>> FindAsync(Caller caller, string text)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await SearchQueries.FindAsync(scope.ServiceProvider, caller, text, CancellationToken.None);
    }

    private static async Task RecordAsync(TeamScenario scenario, string key, string? title)
    {
        var (response, _) = await scenario.Member.CallAsync(HttpMethod.Post, "/api/v1/tickets", new { team = scenario.TeamName, key, title });
        await Api.EnsureAsync(response, HttpStatusCode.Created);
    }
}
