using System.Globalization;
using System.Text.Json;
using Paddock.Domain.Delivery;
using Paddock.Domain.Tickets;
using Paddock.Portal.Features.Tickets;

namespace Paddock.Portal.Features.Webhooks;

/// <summary>A push that may trigger push-to-deploy: the branch and the commit it now points at.</summary>
public sealed record PushedBranch(string Branch, string Sha, string? HeadMessage);

/// <summary>What a delivery says, whatever its source: tickets, and commits whose messages and branch may name more.</summary>
public sealed record WebhookPayload(string Event, IReadOnlyList<TicketFacts> Tickets, IReadOnlyList<CommitInfo> Commits, string? Branch, PushedBranch? Push)
{
    /// <summary>The URLs the pushed repository goes by (GitHub names several), so environments that follow it fetch now.</summary>
    public IReadOnlyList<string> RepositoryUrls { get; init; } = [];

    public static WebhookPayload Nothing(string eventName) => new(eventName, [], [], null, null);
}

/// <summary>Reads GitHub <c>push</c> and <c>pull_request</c>, Jira-style <c>jira:issue_created</c>/<c>jira:issue_updated</c>,
/// and the generic shape <c>{ "tickets": [{ key, title, url, type, createdAt }], "commits": [{ sha, message, timestamp }], "branch", "repository" }</c>.
/// Throws <see cref="JsonException"/> for anything that is not the JSON it claims to be.</summary>
public static class WebhookPayloads
{
    /// <summary>Where a GitHub push names its repository, each a way to clone it.</summary>
    private static readonly string[] RepositoryUrlFields = ["clone_url", "ssh_url", "git_url", "html_url", "url"];

    public static WebhookPayload Parse(WebhookSource source, string? githubEvent, JsonElement body, TicketKeys keys)
    {
        if (body.ValueKind != JsonValueKind.Object) throw new JsonException("The payload must be a JSON object.");
        return source switch
        {
            WebhookSource.Github => githubEvent switch
            {
                "push" => GithubPush(body),
                "pull_request" => GithubPullRequest(body, keys),
                _ => WebhookPayload.Nothing(githubEvent ?? "unknown"),
            },
            WebhookSource.Jira => Jira(body),
            _ => Generic(body),
        };
    }

    private static WebhookPayload GithubPush(JsonElement body)
    {
        var reference = String(body, "ref");
        var branch = reference?.StartsWith("refs/heads/", StringComparison.Ordinal) == true ? reference["refs/heads/".Length..] : null;
        var commits = Array(body, "commits").Select(c => new CommitInfo(String(c, "id"), String(c, "message"), Time(c, "timestamp"))).ToList();
        var after = String(body, "after");
        var deleted = body.TryGetProperty("deleted", out var d) && d.ValueKind == JsonValueKind.True;
        PushedBranch? push = branch is not null && after is not null && !deleted && after.Any(ch => ch != '0')
            ? new PushedBranch(branch, after, commits.LastOrDefault()?.Message)
            : null;
        var repository = body.TryGetProperty("repository", out var r) && r.ValueKind == JsonValueKind.Object ? r : default;
        var urls = RepositoryUrlFields.Select(name => String(repository, name)).OfType<string>().ToList();
        return new WebhookPayload("push", [], commits, branch, push) { RepositoryUrls = urls };
    }

    private static WebhookPayload GithubPullRequest(JsonElement body, TicketKeys keys)
    {
        var pr = Object(body, "pull_request");
        var head = Object(pr, "head");
        var facts = new[] { String(pr, "title"), String(pr, "body"), String(head, "ref") }.SelectMany(keys.Find).Select(k => new TicketFacts(k)).ToList();
        return new WebhookPayload("pull_request", facts, [], String(head, "ref"), null);
    }

    private static WebhookPayload Jira(JsonElement body)
    {
        var eventName = String(body, "webhookEvent") ?? "unknown";
        if (eventName is not ("jira:issue_created" or "jira:issue_updated")) return WebhookPayload.Nothing(eventName);
        var issue = Object(body, "issue");
        var key = String(issue, "key") ?? throw new JsonException("issue.key is missing.");
        var fields = Object(issue, "fields");
        var type = fields.TryGetProperty("issuetype", out var issueType) && issueType.ValueKind == JsonValueKind.Object ? TypeOf(String(issueType, "name")) : null;
        var url = String(issue, "self") is { } self && Uri.TryCreate(self, UriKind.Absolute, out var api) ? $"{api.Scheme}://{api.Authority}/browse/{key}" : null;
        return new WebhookPayload(eventName, [new TicketFacts(key, String(fields, "summary"), url, type, Time(fields, "created"))], [], null, null);
    }

    private static WebhookPayload Generic(JsonElement body)
    {
        var tickets = Array(body, "tickets").Select(t => new TicketFacts(
            String(t, "key") ?? throw new JsonException("Every ticket needs a key."),
            String(t, "title"), String(t, "url"), TypeOf(String(t, "type")), Time(t, "createdAt"))).ToList();
        var commits = Array(body, "commits").Select(c => new CommitInfo(String(c, "sha"), String(c, "message"), Time(c, "timestamp"))).ToList();
        return new WebhookPayload("generic", tickets, commits, String(body, "branch"), null)
        {
            RepositoryUrls = String(body, "repository") is { } repository ? [repository] : [],
        };
    }

    /// <summary>Tracker issue types onto Paddock's four; unknown names count as features.</summary>
    public static TicketType? TypeOf(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "bug" or "defect" or "incident" => TicketType.Bug,
        "hotfix" or "hot fix" => TicketType.Hotfix,
        "chore" or "task" or "sub-task" or "subtask" or "maintenance" => TicketType.Chore,
        _ => TicketType.Feature,
    };

    private static string? String(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Null => null,
            _ => throw new JsonException($"'{name}' must be a string."),
        } : null;

    private static JsonElement Object(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object
            ? v : throw new JsonException($"'{name}' must be an object.");

    private static IEnumerable<JsonElement> Array(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return [];
        if (v.ValueKind != JsonValueKind.Array) throw new JsonException($"'{name}' must be an array.");
        var items = v.EnumerateArray().ToList();
        return items.All(i => i.ValueKind == JsonValueKind.Object) ? items : throw new JsonException($"Every item of '{name}' must be an object.");
    }

    /// <summary>ISO 8601 times, and Jira's <c>2026-11-02T09:00:00.000+0000</c> (offset without a colon).</summary>
    private static DateTime? Time(JsonElement e, string name)
    {
        var text = String(e, name);
        if (text is null) return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)) return at.UtcDateTime;
        if (DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ss.fffzzzz", "yyyy-MM-dd'T'HH:mm:ss.fffzzz", "yyyy-MM-dd'T'HH:mm:sszzz"],
                CultureInfo.InvariantCulture, DateTimeStyles.None, out at)) return at.UtcDateTime;
        if (text.Length > 5 && (text[^5] is '+' or '-') && DateTimeOffset.TryParse(text[..^2] + ":" + text[^2..], CultureInfo.InvariantCulture, DateTimeStyles.None, out at))
            return at.UtcDateTime;
        throw new JsonException($"'{name}' is not a time: '{text}'.");
    }
}
