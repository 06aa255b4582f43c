using Paddock.Domain.Tickets;

namespace Paddock.Portal.Features.Webhooks;

public sealed record PushToDeployView(string Branch, string App, string Environment, string ImageTemplate);

/// <summary>A hook as listed: never its secret.</summary>
public sealed record WebhookView(Guid Id, WebhookSource Source, string ReceiverPath, PushToDeployView? DeployOnPush, string CreatedBy, DateTime CreatedAt)
{
    public static WebhookView Of(Webhook hook, string? app, string? environment) => new(hook.Id, hook.Source,
        $"/api/v1/webhooks/{hook.Source.ToString().ToLowerInvariant()}/{hook.Id}",
        hook.DeploysOnPush ? new PushToDeployView(hook.DeployOnPushBranch!, app ?? "?", environment ?? "?", hook.ImageTemplate!) : null,
        hook.CreatedBy, hook.CreatedAt);
}

/// <summary>The answer to creating a hook: the secret is shown this once; Paddock keeps it only encrypted.</summary>
public sealed record CreatedWebhookView(WebhookView Webhook, string Secret);

/// <summary>What a delivery did.</summary>
public sealed record WebhookReceipt(string Event, IReadOnlyList<string> Tickets, Guid? DeploymentId = null, string? DeployRefused = null);
