namespace Paddock.Domain.Tickets;

public enum WebhookSource
{
    Github = 0,
    Jira = 1,
    Generic = 2,
}

/// <summary>A tracker or code host that tells Paddock about tickets and commits. Its secret (encrypted at rest) signs
/// every delivery. Optionally, a push to <see cref="DeployOnPushBranch"/> deploys <see cref="ImageTemplate"/> (with the
/// pushed commit's sha) to one environment of the team: push-to-deploy is opt-in per environment.</summary>
public sealed class Webhook
{
    public Guid Id { get; private set; }
    public Guid TeamId { get; private set; }
    public WebhookSource Source { get; private set; }
    public string ProtectedSecret { get; private set; } = "";
    public string? DeployOnPushBranch { get; private set; }
    public Guid? DeployApplicationId { get; private set; }
    public Guid? DeployEnvironmentId { get; private set; }
    public string? ImageTemplate { get; private set; }
    public string CreatedBy { get; private set; } = "";
    public DateTime CreatedAt { get; private set; }

    private Webhook() { }

    public Webhook(Guid teamId, WebhookSource source, string protectedSecret, string createdBy, DateTime createdAt)
    {
        Id = Guid.CreateVersion7();
        TeamId = teamId;
        Source = source;
        ProtectedSecret = protectedSecret;
        CreatedBy = createdBy;
        CreatedAt = createdAt;
    }

    public void DeployOnPush(string branch, Guid applicationId, Guid environmentId, string imageTemplate)
    {
        DeployOnPushBranch = branch;
        DeployApplicationId = applicationId;
        DeployEnvironmentId = environmentId;
        ImageTemplate = imageTemplate;
    }

    public bool DeploysOnPush => DeployOnPushBranch is not null && DeployEnvironmentId is not null && ImageTemplate is not null;

    /// <summary>The image to deploy for a pushed commit: <c>{sha}</c>, <c>{shortSha}</c> and <c>{branch}</c> filled in.</summary>
    public string ImageFor(string sha, string branch) =>
        (ImageTemplate ?? "").Replace("{sha}", sha).Replace("{shortSha}", sha.Length > 7 ? sha[..7] : sha).Replace("{branch}", branch);
}

/// <summary>A delivery id a webhook has already processed: the same id again is a replay and is ignored.</summary>
public sealed class WebhookDelivery
{
    public Guid WebhookId { get; private set; }
    public string DeliveryId { get; private set; } = "";
    public DateTime ReceivedAt { get; private set; }

    private WebhookDelivery() { }

    public WebhookDelivery(Guid webhookId, string deliveryId, DateTime receivedAt)
    {
        WebhookId = webhookId;
        DeliveryId = deliveryId;
        ReceivedAt = receivedAt;
    }
}
