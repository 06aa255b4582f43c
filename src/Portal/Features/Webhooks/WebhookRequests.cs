using Paddock.Domain.Tickets;
using Paddock.Portal.Api;

namespace Paddock.Portal.Features.Webhooks;

/// <summary>Creates a hook. Push-to-deploy is opt-in: give <see cref="DeployOnPushBranch"/>, <see cref="App"/>,
/// <see cref="Environment"/> and <see cref="ImageTemplate"/> (e.g. <c>registry.example.com/pay:{sha}</c>) together.</summary>
public sealed record CreateWebhookRequest(string? Source = null, string? DeployOnPushBranch = null, string? App = null, string? Environment = null, string? ImageTemplate = null)
{
    public const int MaxBranchLength = 255;

    public bool WantsPushToDeploy => DeployOnPushBranch is not null || App is not null || Environment is not null || ImageTemplate is not null;

    public WebhookSource? Validate(FieldErrors errors)
    {
        WebhookSource? source = Enum.TryParse<WebhookSource>(Source, ignoreCase: true, out var s) && Enum.IsDefined(s) && !int.TryParse(Source, out _) ? s : null;
        if (source is null) errors.Add("source", "Required: github, jira or generic.");
        if (!WantsPushToDeploy) return source;
        if (source is not null and not WebhookSource.Github)
            errors.Add("deployOnPushBranch", "Push-to-deploy needs a github hook: only it sends pushes.");
        if (string.IsNullOrWhiteSpace(DeployOnPushBranch)) errors.Add("deployOnPushBranch", "Required with push-to-deploy: the branch whose pushes deploy, e.g. main.");
        else if (DeployOnPushBranch.Length > MaxBranchLength) errors.Add("deployOnPushBranch", $"At most {MaxBranchLength} characters.");
        if (string.IsNullOrWhiteSpace(App)) errors.Add("app", "Required with push-to-deploy: the application to deploy.");
        if (string.IsNullOrWhiteSpace(Environment)) errors.Add("environment", "Required with push-to-deploy: the environment to deploy to.");
        if (string.IsNullOrWhiteSpace(ImageTemplate) || !ImageTemplate.Contains("{sha}") && !ImageTemplate.Contains("{shortSha}"))
            errors.Add("imageTemplate", "Required with push-to-deploy: the image to deploy, with {sha} or {shortSha} for the pushed commit, e.g. registry/app:{sha}.");
        else if (Domain.Applications.ImageReference.Check(ImageTemplate.Replace("{shortSha}", "abc1234").Replace("{sha}", new string('a', 40)).Replace("{branch}", "main")) is { } error)
            errors.Add("imageTemplate", error);
        return source;
    }
}
