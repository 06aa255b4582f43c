using Microsoft.AspNetCore.Http.HttpResults;
using Paddock.Portal.Api;

namespace Paddock.Portal.Features.Webhooks;

/// <summary>A team's hooks (<c>/api/v1/teams/{team}/webhooks</c>) and the receiver trackers post to
/// (<c>/api/v1/webhooks/{source}/{hookId}</c>: anonymous, authenticated by the body's signature instead).</summary>
public static class WebhooksApi
{
    public const int MaxBodyBytes = 1024 * 1024;

    public static RouteGroupBuilder MapWebhookEndpoints(this RouteGroupBuilder api)
    {
        var team = api.MapGroup("/teams/{team}/webhooks").WithTags("Webhooks");
        team.MapPost("/", CreateAsync).WithSummary("Creates a webhook for the team; its signing secret is shown only in this answer.");
        team.MapGet("/", ListAsync).WithSummary("The team's webhooks (never their secrets).");
        team.MapDelete("/{id:guid}", DeleteAsync).WithSummary("Deletes a webhook.");
        api.MapPost("/webhooks/{source}/{hookId:guid}", ReceiveAsync).WithTags("Webhooks").AllowAnonymous().DisableAntiforgery()
            .WithSummary("Receives a delivery from a tracker or CI; anonymous, authenticated by the body's HMAC signature.");
        return api;
    }

    private static async Task<Results<Created<CreatedWebhookView>, ProblemHttpResult>> CreateAsync(
        string team, CreateWebhookRequest request, HttpContext http, WebhookService hooks, CancellationToken ct)
    {
        var outcome = await hooks.CreateAsync(http.Caller(), team, request, ct);
        return outcome.IsOk ? TypedResults.Created($"/api/v1/teams/{team}/webhooks", outcome.Value!) : outcome.ToProblem();
    }

    private static async Task<Results<Ok<IReadOnlyList<WebhookView>>, ProblemHttpResult>> ListAsync(
        string team, HttpContext http, WebhookService hooks, CancellationToken ct)
    {
        var outcome = await hooks.ListAsync(http.Caller(), team, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }

    private static async Task<Results<Ok<WebhookView>, ProblemHttpResult>> DeleteAsync(
        string team, Guid id, HttpContext http, WebhookService hooks, CancellationToken ct)
    {
        var outcome = await hooks.DeleteAsync(http.Caller(), team, id, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }

    /// <summary>The rate limit is checked first and the signature before any parsing, so floods and forgeries cost little.</summary>
    private static async Task<Results<Ok<WebhookReceipt>, Ok<ReplayIgnored>, ProblemHttpResult>> ReceiveAsync(
        string source, Guid hookId, HttpContext http, WebhookRateLimiter limiter, WebhookReceiver receiver, CancellationToken ct)
    {
        if (!limiter.TryAcquire(hookId))
        {
            http.Response.Headers.RetryAfter = "60";
            return TypedResults.Problem("Too many deliveries for this webhook; try again in a minute.", statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests");
        }
        var body = await ReadBodyAsync(http.Request, ct);
        if (body is null)
            return TypedResults.Problem($"The payload is larger than {MaxBodyBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large");
        var headers = http.Request.Headers;
        var delivery = new WebhookDeliveryRequest(source, hookId, body,
            headers[WebhookReceiver.SignatureHeader].FirstOrDefault(),
            headers["X-GitHub-Delivery"].FirstOrDefault() ?? headers["X-Paddock-Delivery"].FirstOrDefault(),
            headers["X-GitHub-Event"].FirstOrDefault());
        var result = await receiver.ReceiveAsync(delivery, http.Caller(), ct);
        return result.Kind switch
        {
            ReceiptKind.Accepted => TypedResults.Ok(result.Receipt!),
            ReceiptKind.Replay => TypedResults.Ok(new ReplayIgnored("replay")),
            ReceiptKind.NotFound => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status404NotFound, title: "Not found"),
            ReceiptKind.Unauthorized => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status401Unauthorized, title: "Bad signature"),
            _ => TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["body"] = [result.Message ?? "Malformed payload."] })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "Invalid request",
                Detail = result.Message,
            }),
        };
    }

    /// <summary>The raw bytes, as signed; null when longer than the limit (Kestrel enforces it too, the test server does not).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}

public sealed record ReplayIgnored(string Ignored);
