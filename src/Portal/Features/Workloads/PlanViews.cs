using System.Text.Json;
using System.Text.Json.Serialization;
using Paddock.Domain.Workloads;
using Paddock.Portal.Features.Deployments;
using Paddock.Workloads.Planning;
using Paddock.Workloads.Source;

namespace Paddock.Portal.Features.Workloads;

public enum PlanStatus { Open, Applied, Expired }

/// <summary>A plan as the API shows it: the planner's items (secrets only as changed or unchanged), its summary and
/// its text like <c>terraform plan</c>, what it was planned against and whether it can still be applied.</summary>
public sealed record PlanView(
    Guid Id,
    string Url,
    string ApplyUrl,
    string App,
    string Environment,
    string ContentHash,
    string Summary,
    int ToAdd,
    int ToChange,
    int ToDestroy,
    IReadOnlyList<FieldChange> WorkloadChanges,
    IReadOnlyList<ContainerPlan> Containers,
    IReadOnlyList<ResourcePlan> Resources,
    IReadOnlyList<PlannedImage> Images,
    string? EnvironmentImage,
    string Text,
    PlanStatus Status,
    int BaseRevision,
    Guid? BaseDeploymentId,
    TriggeredByView CreatedBy,
    DateTime CreatedAt,
    DateTime ExpiresAt,
    DateTime? AppliedAt,
    Guid? DeploymentId)
{
    public static string UrlOf(Guid id) => $"/api/v1/plans/{id}";

    public static PlanView Of(DeploymentPlan plan, string app, string environment, DateTime now)
    {
        var items = PlanItems.Read(plan.Items);
        var status = plan.IsApplied ? PlanStatus.Applied : plan.HasExpired(now) ? PlanStatus.Expired : PlanStatus.Open;
        return new PlanView(plan.Id, UrlOf(plan.Id), UrlOf(plan.Id) + "/apply", app, environment, plan.ContentHash, plan.Summary,
            items.ToAdd, items.ToChange, items.ToDestroy, items.WorkloadChanges, items.Containers, items.Resources, items.Images ?? [], items.EnvironmentImage, plan.Text, status,
            plan.Base.RevisionNumber, plan.Base.CurrentDeploymentId, new TriggeredByView(plan.CreatedById, plan.CreatedByName),
            plan.CreatedAt, plan.ExpiresAt, plan.AppliedAt, plan.DeploymentId);
    }
}

/// <summary>The planner's output as a plan row keeps it (jsonb), with the content each container's image resolved to
/// (<see cref="Images"/>; null in plans made before images were resolved) and the image the plan makes the
/// environment's own (<see cref="EnvironmentImage"/>: a Deploy with another image typed).</summary>
public sealed record PlanItems(
    int ToAdd, int ToChange, int ToDestroy,
    IReadOnlyList<FieldChange> WorkloadChanges, IReadOnlyList<ContainerPlan> Containers, IReadOnlyList<ResourcePlan> Resources,
    IReadOnlyList<PlannedImage>? Images = null, string? EnvironmentImage = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static PlanItems Of(WorkloadPlan plan, IReadOnlyList<PlannedImage> images, string? environmentImage) =>
        new(plan.ToAdd, plan.ToChange, plan.ToDestroy, plan.WorkloadChanges, plan.Containers, plan.Resources, images, environmentImage);

    public string Write() => JsonSerializer.Serialize(this, Json);

    public static PlanItems Read(string json) => JsonSerializer.Deserialize<PlanItems>(json, Json)!;
}

/// <summary>One thing wrong with a submitted workload, where it is: the JSON pointer and, when the text shows it, line and column.</summary>
public sealed record WorkloadErrorView(string Pointer, int? Line, int? Column, string Message)
{
    public static WorkloadErrorView Of(WorkloadError error) =>
        new(error.Pointer.Length == 0 ? "/" : error.Pointer, error.Position?.Line, error.Position?.Column, error.Message);
}
