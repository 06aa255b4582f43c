using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Access;
using Paddock.Domain.Resources;
using Paddock.Persistence;
using Paddock.Persistence.Audit;
using Paddock.Persistence.Secrets;
using Paddock.Portal.Api;
using Paddock.Portal.Features.Environments;

namespace Paddock.Portal.Features.Resources;

/// <summary>The value of one output of a resource, answered on request (a secret one decrypted).</summary>
public sealed record RevealedOutputView(string Value);

/// <summary>Shows one output of an environment's resource to a member of the app's team (or an admin) who asks for it:
/// lists mask secret outputs, and this is the only way their values leave Paddock other than into the containers.
/// Every reveal is audited (who, when, which environment, resource and output; never the value), value outputs too, so
/// the trail shows every request for an output alike.</summary>
public sealed class ResourceOutputReveals(PaddockDbContext db, EnvironmentLookup lookup, SecretProtector protector, AuditLog audit)
{
    public const string AuditAction = "resource.output_revealed";

    public async Task<Outcome<RevealedOutputView>> RevealAsync(
        Caller caller, string appName, string envName, string name, string output, CancellationToken ct)
    {
        var (target, notFound) = await lookup.FindAsync(caller, appName, envName, ct);
        if (target is null) return notFound!;
        var resource = await db.EnvironmentResources.AsNoTracking()
            .Where(r => r.EnvironmentId == target.Env.Id && r.Name == name && r.Status != ResourceStatus.Deleted)
            .OrderByDescending(r => r.UpdatedAt).FirstOrDefaultAsync(ct);
        if (resource is null) return Failure.NotFound($"Resource '{name}' of '{envName}'");
        if (target.Access < TeamAccess.Manage)
            return Failure.Forbidden("Revealing a resource's outputs needs the member or owner role in its team.");

        var secret = resource.ProtectedSecrets.TryGetValue(output, out var protectedValue);
        if (!secret && !resource.Values.ContainsKey(output))
        {
            var known = resource.Values.Keys.Concat(resource.ProtectedSecrets.Keys).Order(StringComparer.Ordinal).ToList();
            return Failure.NotFound($"Output '{output}' of resource '{name}' (its outputs: {(known.Count == 0 ? "none yet" : string.Join(", ", known))})");
        }
        var value = secret ? protector.Unprotect(protectedValue!) : resource.Values[output];
        await audit.SaveChangesAsync(caller.Audit(AuditAction, "environment_resource", resource.Id.ToString(), target.App.TeamId, target.App.Id,
            null, new { environment = envName, resource = name, output, secret }), ct);
        return new RevealedOutputView(value);
    }
}
