using Microsoft.AspNetCore.Http.HttpResults;
using Paddock.Portal.Api;

namespace Paddock.Portal.Features.Delivery;

/// <summary><c>/api/v1/teams/{team}/delivery</c>: lead time and DORA four keys (JSON, or <c>?format=csv</c> per ticket);
/// <c>/delivery/settings</c>: the team's ticket key patterns and lead-time target.</summary>
public static class DeliveryApi
{
    public static RouteGroupBuilder MapDeliveryEndpoints(this RouteGroupBuilder api)
    {
        var delivery = api.MapGroup("/teams/{team}/delivery").WithTags("Delivery");
        delivery.MapGet("/", ReportAsync).WithSummary("The team's delivery report: DORA figures and lead times over a period.");
        delivery.MapGet("/settings", SettingsAsync).WithSummary("The team's delivery settings.");
        delivery.MapPut("/settings", ChangeSettingsAsync).WithSummary("Replaces the team's delivery settings (owners).");
        return api;
    }

    private static async Task<Results<Ok<DeliveryView>, ContentHttpResult, ProblemHttpResult>> ReportAsync(
        string team, string? from, string? to, string? start, string? app, string? format, HttpContext http, DeliveryService delivery, CancellationToken ct)
    {
        if (format is not (null or "json" or "csv")) return Failure.Invalid("format", "json or csv.").ToProblem();
        var outcome = await delivery.ReportAsync(http.Caller(), team, new DeliveryQuery(from, to, start, app), ct);
        if (!outcome.IsOk) return outcome.ToProblem();
        if (format != "csv") return TypedResults.Ok(outcome.Value!);
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"delivery-{team}.csv\"";
        return TypedResults.Text(DeliveryService.ToCsv(outcome.Value!), "text/csv; charset=utf-8");
    }

    private static async Task<Results<Ok<DeliverySettingsView>, ProblemHttpResult>> SettingsAsync(
        string team, HttpContext http, DeliveryService delivery, CancellationToken ct)
    {
        var outcome = await delivery.SettingsAsync(http.Caller(), team, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }

    private static async Task<Results<Ok<DeliverySettingsView>, ProblemHttpResult>> ChangeSettingsAsync(
        string team, DeliverySettingsRequest request, HttpContext http, DeliveryService delivery, CancellationToken ct)
    {
        var outcome = await delivery.ChangeSettingsAsync(http.Caller(), team, request, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }
}
