using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Access;
using Paddock.Domain.Tickets;
using Paddock.Domain.Tokens;
using Paddock.Persistence;
using Paddock.Persistence.Audit;
using Paddock.Persistence.Secrets;
using Paddock.Portal.Api;
using Paddock.Portal.Features.Deployments;
using Paddock.Portal.Features.Tickets;

namespace Paddock.Portal.Features.Webhooks;

public enum ReceiptKind
{
    Accepted,
    Replay,
    NotFound,
    Unauthorized,
    Malformed,
}

public sealed record ReceiveResult(ReceiptKind Kind, WebhookReceipt? Receipt = null, string? Message = null);

/// <summary>One signed delivery as it arrived: the raw body bytes (the signature covers exactly these) and the headers that matter.</summary>
public sealed record WebhookDeliveryRequest(string Source, Guid HookId, byte[] Body, string? Signature, string? DeliveryId, string? GithubEvent);

/// <summary>Takes a delivery: checks its signature over the raw bytes before reading anything in it, ignores replays,
/// records the tickets and commits it names, and (when the hook opts in) deploys a push. One audit event per delivery:
/// <c>webhook.rejected</c>, <c>webhook.received</c>, or the push's <c>deployment.queued</c>.</summary>
public sealed class WebhookReceiver(
    PaddockDbContext db, TicketRegistry registry, SecretProtector protector, AuditLog audit, DeploymentService deployments,
    ILogger<WebhookReceiver> logger)
{
    public const string SignatureHeader = "X-Hub-Signature-256";
    public const int MaxDeliveryIdLength = 200;

    public async Task<ReceiveResult> ReceiveAsync(WebhookDeliveryRequest delivery, Caller caller, CancellationToken ct)
    {
        var hook = Enum.TryParse<WebhookSource>(delivery.Source, ignoreCase: true, out var source) && !int.TryParse(delivery.Source, out _)
            ? await db.Webhooks.AsNoTracking().FirstOrDefaultAsync(h => h.Id == delivery.HookId && h.Source == source, ct)
            : null;
        if (hook is null) return new(ReceiptKind.NotFound, Message: "No such webhook.");

        if (!SignatureMatches(protector.Unprotect(hook.ProtectedSecret), delivery.Body, delivery.Signature))
        {
            await audit.SaveChangesAsync(caller.Audit("webhook.rejected", "webhook", hook.Id.ToString(), hook.TeamId, null, null,
                new { reason = delivery.Signature is null ? "signature missing" : "signature does not match", bytes = delivery.Body.Length }), ct);
            return new(ReceiptKind.Unauthorized, Message: $"The {SignatureHeader} header is missing or does not match the body.");
        }

        var deliveryId = delivery.DeliveryId is { Length: > 0 and <= MaxDeliveryIdLength } id ? id : null;
        if (deliveryId is not null && await db.WebhookDeliveries.AnyAsync(d => d.WebhookId == hook.Id && d.DeliveryId == deliveryId, ct))
            return new(ReceiptKind.Replay);

        var keys = await registry.KeysForAsync(hook.TeamId, ct);
        WebhookPayload payload;
        try
        {
            using var document = JsonDocument.Parse(delivery.Body);
            payload = WebhookPayloads.Parse(hook.Source, delivery.GithubEvent, document.RootElement, keys);
        }
        catch (JsonException e)
        {
            return new(ReceiptKind.Malformed, Message: $"The payload is not understood: {e.Message}");
        }
        if (Invalid(payload, keys) is { } problem) return new(ReceiptKind.Malformed, Message: problem);

        var facts = payload.Tickets.Concat(TicketRegistry.FromCommits(keys, payload.Commits, payload.Branch)).ToList();
        await WakeFollowedRepositoriesAsync(hook.TeamId, payload.RepositoryUrls, ct);
        var hookCaller = caller with { Actor = ActorFor(hook) };
        try
        {
            if (deliveryId is not null) db.WebhookDeliveries.Add(new WebhookDelivery(hook.Id, deliveryId, DateTime.UtcNow));
            string? refused = null;
            if (hook.DeploysOnPush && payload.Push is { } push && push.Branch == hook.DeployOnPushBranch)
            {
                var (queued, reason) = await DeployAsync(hook, push, payload, hookCaller, ct);
                if (queued is not null)
                    return new(ReceiptKind.Accepted, new WebhookReceipt(payload.Event, facts.Select(f => f.Key.ToUpperInvariant()).Distinct().ToList(), queued));
                refused = reason;
            }
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var recorded = await registry.RecordAsync(hook.TeamId, facts, hook.Source.ToString().ToLowerInvariant(), ct);
            var receipt = new WebhookReceipt(payload.Event, TicketFacts.Merge(facts).Select(f => f.Key).ToList(), null, refused);
            await audit.SaveChangesAsync(hookCaller.Audit("webhook.received", "webhook", hook.Id.ToString(), hook.TeamId, null, null,
                new { receipt.Event, receipt.Tickets, newTickets = recorded, deliveryId, receipt.DeployRefused }), ct);
            await transaction.CommitAsync(ct);
            return new(ReceiptKind.Accepted, receipt);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // The same delivery arrived twice at once: the other copy is being (or was) processed.
            return new(ReceiptKind.Replay);
        }
    }

    /// <summary>A push to a repository the team registered makes the environments that follow it fetch now, not at the next poll.</summary>
    private async Task WakeFollowedRepositoriesAsync(Guid teamId, IReadOnlyList<string> urls, CancellationToken ct)
    {
        if (urls.Count == 0) return;
        var pushed = urls.Select(Sources.GitUrls.Normalize).ToHashSet(StringComparer.Ordinal);
        var repositories = await db.GitRepositories.AsNoTracking().Where(r => r.TeamId == teamId).Select(r => new { r.Id, r.Url }).ToListAsync(ct);
        foreach (var repository in repositories.Where(r => pushed.Contains(Sources.GitUrls.Normalize(r.Url))))
        {
            logger.LogInformation("A push to {Url} wakes the environments that follow it", repository.Url);
            await Sources.GitPushes.AnnounceAsync(db, repository.Id, ct);
        }
    }

    /// <summary>HMAC-SHA256 of the raw body with the hook's secret, as GitHub sends it: <c>sha256=&lt;hex&gt;</c>. Constant-time compare.</summary>
    public static bool SignatureMatches(string secret, byte[] body, string? header)
    {
        if (header is null || !header.StartsWith("sha256=", StringComparison.Ordinal)) return false;
        byte[] given;
        try
        {
            given = Convert.FromHexString(header.AsSpan("sha256=".Length));
        }
        catch (FormatException)
        {
            return false;
        }
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    public static string Sign(string secret, byte[] body) => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>The hook acts for its team with deploy rights, and is named in the audit trail as itself.</summary>
    private static Actor ActorFor(Webhook hook) =>
        new(ActorKind.TeamToken, $"webhook:{hook.Id}", $"{hook.Source.ToString().ToLowerInvariant()} webhook", TeamId: hook.TeamId, Scope: TokenScope.Deploy);

    private static string? Invalid(WebhookPayload payload, TicketKeys keys)
    {
        foreach (var t in payload.Tickets)
        {
            if (!keys.IsKey(t.Key)) return $"'{t.Key}' is not a ticket key by the team's key patterns.";
            if (t.Title is { Length: > Ticket.MaxTitleLength }) return $"The title of {t.Key} is longer than {Ticket.MaxTitleLength} characters.";
            if (TicketRules.CheckUrl(t.Url) is { } error) return $"The url of {t.Key}: {error}";
        }
        return null;
    }

    /// <summary>Queues the push's image through the deployment service (which records the tickets with the deployment,
    /// and this delivery's id, in its own transaction and audit event). Null and the reason when it refuses.</summary>
    private async Task<(Guid? Deployment, string? Refused)> DeployAsync(Webhook hook, PushedBranch push, WebhookPayload payload, Caller hookCaller, CancellationToken ct)
    {
        var target = await db.Environments.AsNoTracking().Where(e => e.Id == hook.DeployEnvironmentId && e.DeletedAt == null)
            .Join(db.Applications, e => e.ApplicationId, a => a.Id, (e, a) => new { App = a.Name, Env = e.Name }).FirstOrDefaultAsync(ct);
        if (target is null) return (null, "The push-to-deploy environment no longer exists.");
        var message = push.HeadMessage is { } m ? (m.Length > DeployRequest.MaxMessageLength ? m[..DeployRequest.MaxMessageLength] : m) : $"Push to {push.Branch}";
        var request = new DeployRequest(hook.ImageFor(push.Sha, push.Branch), null, message)
        {
            Commits = payload.Commits.Select(c => new DeployCommit(c.Sha, c.Message, c.Timestamp)).ToArray(),
            Branch = push.Branch,
        };
        var outcome = await deployments.QueueAsync(hookCaller, target.App.Value, target.Env.Value, request, null, ct);
        if (outcome.IsOk && audit.HasAppended) return (outcome.Value!.Id, null);
        logger.LogWarning("Push-to-deploy of webhook {Hook} refused: {Reason}", hook.Id, outcome.Message);
        return (null, outcome.Message ?? "refused");
    }
}
