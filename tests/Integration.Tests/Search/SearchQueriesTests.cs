using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Paddock.Domain.Access;
using Paddock.Domain.Tokens;
using Paddock.Integration.Tests.Applications;
using Paddock.Integration.Tests.Infrastructure;
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
