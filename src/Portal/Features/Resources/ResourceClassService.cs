using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Audit;
using Paddock.Domain.Resources;
using Paddock.Persistence;
using Paddock.Persistence.Audit;
using Paddock.Persistence.Secrets;
using Paddock.Portal.Api;
using Paddock.Runtime.Resources;

namespace Paddock.Portal.Features.Resources;

/// <summary>Platform admins register, change and remove resource classes. Settings are checked by the type's
/// provisioner (<c>ValidateClass</c>); secrets are encrypted before they reach the entity and appear in no view or
/// audit event (only their names). Each change is saved with its audit event.</summary>
public sealed partial class ResourceClassService(
    PaddockDbContext db, AuditLog audit, SecretProtector protector, ResourceProvisioners provisioners, TimeProvider clock)
{
    private const string AdminsOnly = "Only platform admins manage resource classes.";

    public async Task<Outcome<IReadOnlyList<ResourceClassView>>> ListAsync(Caller caller, CancellationToken ct)
    {
        if (!caller.Actor.IsPlatformAdmin) return Failure.Forbidden(AdminsOnly);
        var classes = await db.ResourceClasses.AsNoTracking().OrderBy(c => c.Type).ThenBy(c => c.Name).ToListAsync(ct);
        return classes.Select(ResourceClassView.Of).ToList();
    }

    public async Task<Outcome<ResourceClassView>> GetAsync(Caller caller, string type, string name, CancellationToken ct)
    {
        if (!caller.Actor.IsPlatformAdmin) return Failure.Forbidden(AdminsOnly);
        return await FindAsync(type, name, ct) is { } found ? ResourceClassView.Of(found) : NotFound(type, name);
    }

    public async Task<Outcome<ResourceClassView>> CreateAsync(Caller caller, CreateResourceClassRequest request, CancellationToken ct)
    {
        if (!caller.Actor.IsPlatformAdmin) return Failure.Forbidden(AdminsOnly);
        var errors = new FieldErrors();
        var provisioner = request.Type is null ? null : provisioners.Find(request.Type);
        if (provisioner is null)
            errors.Add("type", $"Paddock provisions these resource types: {string.Join(", ", provisioners.Types.Order(StringComparer.Ordinal))}.");
        if (request.Name is null || !ClassName().IsMatch(request.Name))
            errors.Add("name", "A class name is 1 to 63 lowercase letters, digits and hyphens, starting and ending with a letter or digit.");
        if (errors.Any) return errors.ToFailure();
        var values = request.Values ?? [];
        var secrets = request.Secrets ?? [];
        Check(provisioner!, request.Type!, request.Name!, values, secrets, errors);
        if (errors.Any) return errors.ToFailure();
        if (await FindAsync(request.Type!, request.Name!, ct) is not null)
            return Failure.Conflict("name", $"A {request.Type} class named '{request.Name}' already exists.");

        var now = clock.GetUtcNow().UtcDateTime;
        var created = new ResourceClass(request.Type!, request.Name!, caller.Actor.Name, now);
        created.Configure(values, secrets.ToDictionary(s => s.Key, s => protector.Protect(s.Value), StringComparer.Ordinal), caller.Actor.Name, now);
        db.ResourceClasses.Add(created);
        try
        {
            await audit.SaveChangesAsync(Audit(caller, "resource_class.created", created, null, ResourceClassView.Of(created)), ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return Failure.Conflict("name", $"A {request.Type} class named '{request.Name}' was created at the same time by someone else.");
        }
        return ResourceClassView.Of(created);
    }

    public async Task<Outcome<ResourceClassView>> UpdateAsync(Caller caller, string type, string name, UpdateResourceClassRequest request, CancellationToken ct)
    {
        if (!caller.Actor.IsPlatformAdmin) return Failure.Forbidden(AdminsOnly);
        if (await FindAsync(type, name, ct) is not { } found) return NotFound(type, name);
        var provisioner = provisioners.Find(type);
        if (provisioner is null) return Failure.Conflict($"No provisioner of type '{type}' is installed; the class cannot be changed, only removed.");

        var values = request.Values ?? found.Values;
        var protectedSecrets = new Dictionary<string, string>(found.ProtectedSecrets, StringComparer.Ordinal);
        var replaced = new List<string>();
        foreach (var (key, value) in request.Secrets ?? [])
        {
            if (value is null) protectedSecrets.Remove(key);
            else protectedSecrets[key] = protector.Protect(value);
            replaced.Add(key);
        }
        var errors = new FieldErrors();
        var secrets = protectedSecrets.ToDictionary(s => s.Key, s => protector.Unprotect(s.Value), StringComparer.Ordinal);
        Check(provisioner, type, name, values, secrets, errors);
        if (errors.Any) return errors.ToFailure();

        var before = ResourceClassView.Of(found);
        found.Configure(values, protectedSecrets, caller.Actor.Name, clock.GetUtcNow().UtcDateTime);
        try
        {
            await audit.SaveChangesAsync(Audit(caller, "resource_class.updated", found, before,
                new { resourceClass = ResourceClassView.Of(found), secretsReplaced = replaced.Order(StringComparer.Ordinal).ToList() }), ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Failure.Conflict("The class changed while this update ran; try again.");
        }
        return ResourceClassView.Of(found);
    }

    /// <summary>Refused while an environment has a resource on the class: it could never be deprovisioned.</summary>
    public async Task<Outcome<ResourceClassView>> DeleteAsync(Caller caller, string type, string name, CancellationToken ct)
    {
        if (!caller.Actor.IsPlatformAdmin) return Failure.Forbidden(AdminsOnly);
        if (await FindAsync(type, name, ct) is not { } found) return NotFound(type, name);
        var inUse = await db.EnvironmentResources.AsNoTracking()
            .CountAsync(r => r.Type == type && r.Class == name && r.Status != ResourceStatus.Deleted && r.Status != ResourceStatus.Retained, ct);
        if (inUse > 0)
            return Failure.Conflict($"The {type} class '{name}' still holds {inUse} resource(s) of environments; delete those environments (or their resources) first.");
        var before = ResourceClassView.Of(found);
        db.ResourceClasses.Remove(found);
        await audit.SaveChangesAsync(Audit(caller, "resource_class.deleted", found, before, null), ct);
        return before;
    }

    /// <summary>The class's settings as its provisioner judges them, each error under <c>values.KEY</c> or <c>secrets.KEY</c>.</summary>
    private static void Check(Domain.Resources.IResourceProvisioner provisioner, string type, string name,
        IReadOnlyDictionary<string, string> values, IReadOnlyDictionary<string, string> secrets, FieldErrors errors)
    {
        foreach (var (key, error) in provisioner.ValidateClass(new ResourceClassSettings(type, name, values, secrets)))
            errors.Add(secrets.ContainsKey(key) && !values.ContainsKey(key) ? $"secrets.{key}" : $"values.{key}", error);
    }

    private Task<ResourceClass?> FindAsync(string type, string name, CancellationToken ct) =>
        db.ResourceClasses.FirstOrDefaultAsync(c => c.Type == type && c.Name == name, ct);

    private static Failure NotFound(string type, string name) => Failure.NotFound($"The {type} class '{name}'");

    private static AuditEntry Audit(Caller caller, string action, ResourceClass resourceClass, object? before, object? after) =>
        caller.Audit(action, "resource_class", resourceClass.Id.ToString(), null, null, before, after);

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex ClassName();
}
