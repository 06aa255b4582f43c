using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Applications;
using Paddock.Domain.Deployments;
using Paddock.Domain.Resources;
using Paddock.Persistence;
using Paddock.Portal.Api;
using EnvironmentName = Paddock.Domain.Names.EnvironmentName;

namespace Paddock.Portal.Features.Environments;

/// <summary><c>copyFrom</c> of <c>POST /api/v1/apps/{app}/environments</c>: another environment of the app whose
/// data the new environment's resources start with, optionally only the named <see cref="Resources"/> (default: each
/// resource of a type with copies, postgres, that the new environment gets and the source has ready).</summary>
public sealed record CopyFromRequest(string? Environment, string[]? Resources = null);

/// <summary>Turns a <see cref="CopyFromRequest"/> into the copies the new environment's first deployment carries
/// (<see cref="SnapshotResourceCopy"/>; the workers copy right after provisioning, before any container starts), or
/// field errors under <c>copyFrom.environment</c> and <c>copyFrom.resources</c>.</summary>
public sealed class EnvironmentCopySources(PaddockDbContext db, IEnumerable<IResourceBackups> copyableTypes)
{
    public async Task<(IReadOnlyList<SnapshotResourceCopy>? Copies, FieldErrors Errors)> ResolveAsync(
        Application app, CopyFromRequest request, IReadOnlyList<SnapshotResource> wanted, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (EnvironmentName.Check(request.Environment) is { } invalid)
        {
            errors.Add("copyFrom.environment", $"The environment of '{app.Name}' whose data the new one starts with: {invalid}");
            return (null, errors);
        }
        var name = EnvironmentName.Parse(request.Environment!);
        var source = await db.Environments.AsNoTracking()
            .Where(e => e.ApplicationId == app.Id && e.Name == name && e.DeletedAt == null).Select(e => (Guid?)e.Id).FirstOrDefaultAsync(ct);
        if (source is null)
        {
            errors.Add("copyFrom.environment", $"Application '{app.Name}' has no environment named '{name}'.");
            return (null, errors);
        }

        var types = copyableTypes.Select(t => t.Type).ToHashSet(StringComparer.Ordinal);
        var ready = await db.EnvironmentResources.AsNoTracking()
            .Where(r => r.EnvironmentId == source && r.Status == ResourceStatus.Ready)
            .Select(r => new { r.Name, r.Type, r.Uid }).ToListAsync(ct);
        var copies = new List<SnapshotResourceCopy>();
        if (request.Resources is null)
        {
            foreach (var resource in wanted.Where(w => types.Contains(w.Type)))
                if (ready.FirstOrDefault(r => r.Name == resource.Name && r.Type == resource.Type) is { } found)
                    copies.Add(new SnapshotResourceCopy(resource.Name, name.Value, found.Uid));
            if (copies.Count == 0)
                errors.Add("copyFrom.environment", $"'{name}' has no ready resource to copy that the new environment gets " +
                    $"(copies are made of {string.Join(", ", types.Order())} resources; it gets: {Listed(wanted.Select(w => $"{w.Name} ({w.Type})"))}).");
            return (errors.Any ? null : copies, errors);
        }

        foreach (var requested in request.Resources.Distinct(StringComparer.Ordinal))
        {
            var resource = wanted.FirstOrDefault(w => w.Name == requested);
            var found = ready.FirstOrDefault(r => r.Name == requested);
            if (resource is null)
                errors.Add("copyFrom.resources", $"The new environment gets no resource '{requested}' (it gets: {Listed(wanted.Select(w => w.Name))}).");
            else if (!types.Contains(resource.Type))
                errors.Add("copyFrom.resources", $"Resource '{requested}' is a {resource.Type}; copies are made of {string.Join(", ", types.Order())} resources.");
            else if (found is null || found.Type != resource.Type)
                errors.Add("copyFrom.resources", $"'{name}' has no ready {resource.Type} resource named '{requested}'.");
            else
                copies.Add(new SnapshotResourceCopy(requested, name.Value, found.Uid));
        }
        if (copies.Count == 0 && !errors.Any) errors.Add("copyFrom.resources", "Name at least one resource, or leave the list out to copy every one.");
        return (errors.Any ? null : copies, errors);
    }

    private static string Listed(IEnumerable<string> names) => names.Any() ? string.Join(", ", names) : "none";
}
