using System.Text.RegularExpressions;
using Paddock.Domain.Applications;
using Paddock.Portal.Api;

namespace Paddock.Portal.Features.Deployments;

/// <summary>Deploys the environment's current settings; <see cref="Image"/>, when given, becomes the environment's
/// image first (an audited change), so later deployments keep it. <see cref="Tickets"/> are issue keys such as <c>PAY-123</c>.</summary>
public sealed record DeployRequest(string? Image = null, string[]? Tickets = null, string? Message = null)
{
    public const int MaxTickets = 20;
    public const int MaxMessageLength = 2000;
    public const int MaxCommits = 200;

    /// <summary>Optional commits this deployment ships: ticket keys in their messages (and in <see cref="Branch"/>) are
    /// carried too, and their times become the tickets' first commit.</summary>
    public DeployCommit[]? Commits { get; init; }

    public string? Branch { get; init; }

    public void Validate(FieldErrors errors)
    {
        if (Image is not null) errors.Add("image", ImageReference.Check(Image));
        DeploymentRules.CheckTickets(Tickets, errors);
        if (Message is { Length: > MaxMessageLength }) errors.Add("message", $"At most {MaxMessageLength} characters.");
        if (Commits is { Length: > MaxCommits }) errors.Add("commits", $"At most {MaxCommits} commits.");
        if (Branch is { Length: > 255 }) errors.Add("branch", "At most 255 characters.");
    }
}

public sealed record DeployCommit(string? Sha = null, string? Message = null, DateTime? Timestamp = null);

/// <summary>Deploys an earlier deployment's snapshot again; the reason is required and becomes its message.</summary>
public sealed record RedeployRequest(string? Reason = null)
{
    public void Validate(FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(Reason)) errors.Add("reason", "Required: say why this deployment is deployed again.");
        else if (Reason.Length > DeployRequest.MaxMessageLength) errors.Add("reason", $"At most {DeployRequest.MaxMessageLength} characters.");
    }
}

public static partial class DeploymentRules
{
    public const int MaxIdempotencyKeyLength = 200;

    [GeneratedRegex("^[A-Z][A-Z0-9]+-[0-9]+$")]
    private static partial Regex TicketKey();

    public static void CheckTickets(string[]? tickets, FieldErrors errors)
    {
        if (tickets is null) return;
        if (tickets.Length > DeployRequest.MaxTickets) errors.Add("tickets", $"At most {DeployRequest.MaxTickets} tickets.");
        foreach (var ticket in tickets.Where(t => t is null || !TicketKey().IsMatch(t)).Distinct())
            errors.Add("tickets", $"'{ticket}' is not a ticket key like PAY-123 (upper-case project key, a dash, a number).");
    }

    public static string? CheckIdempotencyKey(string? key) =>
        key is null || key.Length is > 0 and <= MaxIdempotencyKeyLength ? null : $"An Idempotency-Key has 1 to {MaxIdempotencyKeyLength} characters.";
}
