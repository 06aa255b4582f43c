using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Deployments;
using Paddock.Domain.Resources;
using Paddock.Persistence;
using Paddock.Runtime.Resources;
using Paddock.Workloads.Model;
using Paddock.Workloads.Placeholders;
using Paddock.Workloads.Source;
using Paddock.Workloads.Validation;
using Paddock.Portal.Features.Workloads;

namespace Paddock.Portal.Features.Resources;

/// <summary>Which resources a workload may declare here: the types a provisioner is installed for (and Paddock's own
/// <c>environment</c>), on classes that exist, with params the provisioner accepts.</summary>
public sealed class ResourceTypes(PaddockDbContext db, ResourceProvisioners provisioners)
{
    public WorkloadRules Rules => new(new HashSet<string>(provisioners.Types.Append(EnvironmentValues.ResourceType), StringComparer.Ordinal));

    /// <summary>Errors of the workload's provisioned resources, each naming the resource: a class that does not exist,
    /// params the provisioner refuses, a variable taking an output the resource's type does not have.</summary>
    public async Task<IReadOnlyList<WorkloadError>> CheckAsync(Workload workload, SourceDocument? source, CancellationToken ct)
    {
        var errors = new List<WorkloadError>();
        var wanted = workload.Resources.Where(r => provisioners.Find(r.Value.Type) is not null).ToList();
        if (wanted.Count == 0) return errors;
        var types = wanted.Select(r => r.Value.Type).Distinct().ToList();
        var classes = (await db.ResourceClasses.AsNoTracking().Where(c => types.Contains(c.Type)).Select(c => new { c.Type, c.Name }).ToListAsync(ct))
            .Select(c => (c.Type, c.Name)).ToHashSet();
        var ports = workload.Ports.ToDictionary(p => p.Key, p => p.Value.Port, StringComparer.Ordinal);
        foreach (var (name, resource) in wanted)
        {
            var className = ClassOf(resource);
            if (!classes.Contains((resource.Type, className)) && (provisioners.Find(resource.Type)!.RequiresClass || resource.Class is not null))
            {
                var pointer = resource.Class is null ? Pointer.Of("resources", name) : Pointer.Of("resources", name, "class");
                errors.Add(Error(source, pointer, $"Resource '{name}': there is no {resource.Type} class named '{className}'" +
                    $"{(resource.Class is null ? " (the class a resource without one gets)" : "")}; ask a platform admin, or name a class that exists."));
            }
            foreach (var (at, message) in provisioners.Find(resource.Type)!.ValidateParams(resource.Params))
                errors.Add(Error(source, Pointer.Of("resources", name, "params") + at, $"Resource '{name}': {message}"));
            foreach (var (at, message) in provisioners.Find(resource.Type)!.ValidateAgainstPorts(resource.Params, ports))
                errors.Add(Error(source, Pointer.Of("resources", name, "params") + at, $"Resource '{name}': {message}"));
        }
        foreach (var (pointer, message) in ResourceOutputNames.Unknown(workload, provisioners))
            errors.Add(Error(source, pointer, message));
        return errors;
    }

    /// <summary>Routes of the workload whose host and path another environment holds already (or whose host is another
    /// environment's URL), when the plan can know: the host is written out, not a placeholder (a <c>dns</c> resource's
    /// name is the environment's own). Each error is at the route's host.</summary>
    public async Task<IReadOnlyList<WorkloadError>> RouteConflictsAsync(Workload workload, Guid environmentId, CancellationToken ct)
    {
        var errors = new List<WorkloadError>();
        foreach (var (name, resource) in workload.Resources.Where(r => r.Value.Type == Provisioners.Network.RouteProvisioner.ResourceType))
        {
            if (resource.Params?["host"] is not System.Text.Json.Nodes.JsonValue hostValue || !hostValue.TryGetValue<string>(out var host)
                || host.Contains("${", StringComparison.Ordinal))
                continue;
            var path = resource.Params["path"] is System.Text.Json.Nodes.JsonValue pathValue && pathValue.TryGetValue<string>(out var p) ? p : "/";
            var holder = await db.HostRoutes.AsNoTracking().Where(r => r.Host == host && r.Path == path && r.EnvironmentId != environmentId)
                .Select(r => (Guid?)r.EnvironmentId).FirstOrDefaultAsync(ct)
                ?? await db.EdgeRoutes.AsNoTracking().Where(r => r.Host == host && r.EnvironmentId != environmentId)
                .Select(r => (Guid?)r.EnvironmentId).FirstOrDefaultAsync(ct);
            if (holder is null) continue;
            var owner = await (from e in db.Environments.AsNoTracking()
                               join a in db.Applications.AsNoTracking() on e.ApplicationId equals a.Id
                               where e.Id == holder
                               select new { App = a.Name, e.Name }).SingleAsync(ct);
            errors.Add(new WorkloadError(Pointer.Of("resources", name, "params", "host"), null,
                $"Resource '{name}': {host} path {path} is already routed to environment {owner.Name.Value} of {owner.App.Value}; a host and path belong to one environment."));
        }
        return errors;
    }

    /// <summary>The workload's provisioned resources in the order they are provisioned (a resource after those its
    /// params refer to).</summary>
    public static IReadOnlyList<SnapshotResource> SnapshotOf(Workload workload)
    {
        var (order, _) = ResourceOrder.Compute(workload);
        return order
            .Select(name => (name, resource: workload.Resources[name]))
            .Where(r => r.resource.Type != EnvironmentValues.ResourceType)
            .Select(r => new SnapshotResource(r.name, r.resource.Type, ClassOf(r.resource),
                r.resource.Id ?? $"{r.resource.Type}.{ClassOf(r.resource)}#{workload.Metadata.Name}.{r.name}",
                r.resource.Params is { Count: > 0 } parameters ? parameters.ToJsonString() : null))
            .ToList();
    }

    private static string ClassOf(ResourceRequest resource) => resource.Class ?? ResourceClass.DefaultName;

    private static WorkloadError Error(SourceDocument? source, string pointer, string message) =>
        source?.Error(pointer, message) ?? new WorkloadError(pointer, null, message);
}
