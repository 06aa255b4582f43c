using Paddock.Portal.Api;
using Paddock.Portal.Features.Deployments;

namespace Paddock.Portal.Features.Workloads;

/// <summary>What the person applying a plan says about the deployment it becomes: the tickets it ships and a message,
/// as the Deploy dialog asks for them (neither changes what the plan runs), and <see cref="ConfirmDataLoss"/>: the
/// names of the plan's resources whose data is lost (stateful ones deleted or replaced), each named to say "I know".</summary>
public sealed record ApplyNote(string[]? Tickets = null, string? Message = null, string[]? ConfirmDataLoss = null)
{
    public static readonly ApplyNote None = new();

    public void Validate(FieldErrors errors)
    {
        DeploymentRules.CheckTickets(Tickets, errors);
        if (Message is { Length: > DeployRequest.MaxMessageLength }) errors.Add("message", $"At most {DeployRequest.MaxMessageLength} characters.");
    }
}
