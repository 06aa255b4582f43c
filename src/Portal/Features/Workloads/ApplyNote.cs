using Paddock.Portal.Api;
using Paddock.Portal.Features.Deployments;

namespace Paddock.Portal.Features.Workloads;

/// <summary>What the person applying a plan says about the deployment it becomes: the tickets it ships and a message,
/// as the Deploy dialog asks for them. Neither changes what the plan runs.</summary>
public sealed record ApplyNote(string[]? Tickets = null, string? Message = null)
{
    public static readonly ApplyNote None = new();

    public void Validate(FieldErrors errors)
    {
        DeploymentRules.CheckTickets(Tickets, errors);
        if (Message is { Length: > DeployRequest.MaxMessageLength }) errors.Add("message", $"At most {DeployRequest.MaxMessageLength} characters.");
    }
}
