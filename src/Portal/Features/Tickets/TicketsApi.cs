using Microsoft.AspNetCore.Http.HttpResults;
using Paddock.Portal.Api;

namespace Paddock.Portal.Features.Tickets;

/// <summary><c>/api/v1/tickets</c>: record a ticket; where is my ticket.</summary>
public static class TicketsApi
{
    public static RouteGroupBuilder MapTicketEndpoints(this RouteGroupBuilder tickets)
    {
        tickets.MapPost("/", RecordAsync).WithSummary("Records a ticket (key and title) so deployments can refer to it.");
        tickets.MapGet("/{key}", GetAsync).WithSummary("One ticket with the deployments that refer to it.");
        return tickets;
    }

    private static async Task<Results<Created<TicketView>, Ok<TicketView>, ProblemHttpResult>> RecordAsync(
        RecordTicketRequest request, HttpContext http, TicketService tickets, CancellationToken ct)
    {
        var outcome = await tickets.RecordAsync(http.Caller(), request, ct);
        if (!outcome.IsOk) return outcome.ToProblem();
        var (ticket, created) = outcome.Value!;
        return created ? TypedResults.Created($"/api/v1/tickets/{ticket.Key}?team={ticket.Team}", ticket) : TypedResults.Ok(ticket);
    }

    private static async Task<Results<Ok<TicketDetailView>, ProblemHttpResult>> GetAsync(
        string key, string? team, HttpContext http, TicketService tickets, CancellationToken ct)
    {
        var outcome = await tickets.GetAsync(http.Caller(), key, team, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }
}
