using Paddock.Domain.Delivery;
using Paddock.Domain.Tickets;
using Paddock.Portal.Api;

namespace Paddock.Portal.Features.Tickets;

/// <summary>Records a ticket from a tracker or a script: <c>POST /api/v1/tickets</c>. Fields left out keep what Paddock knew.</summary>
public sealed record RecordTicketRequest(string? Team = null, string? Key = null, string? Title = null, string? Url = null,
    TicketType? Type = null, DateTimeOffset? CreatedAt = null)
{
    public void Validate(TicketKeys keys, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(Key)) errors.Add("key", "Required: the ticket's key, e.g. PAY-123.");
        else if (!keys.IsKey(Key.Trim())) errors.Add("key", $"'{Key}' is not a ticket key by the team's key patterns (by default like PAY-123).");
        if (Title is { Length: > Ticket.MaxTitleLength }) errors.Add("title", $"At most {Ticket.MaxTitleLength} characters.");
        errors.Add("url", TicketRules.CheckUrl(Url));
    }
}

public static class TicketRules
{
    public static string? CheckUrl(string? url)
    {
        if (url is null) return null;
        if (url.Length > Ticket.MaxUrlLength) return $"At most {Ticket.MaxUrlLength} characters.";
        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? null : "An absolute http or https URL.";
    }
}
