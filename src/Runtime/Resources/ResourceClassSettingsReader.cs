using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Resources;
using Paddock.Persistence;
using Paddock.Persistence.Secrets;

namespace Paddock.Runtime.Resources;

/// <summary>A resource class's settings as a provisioner gets them: its secrets decrypted, for that call only.</summary>
public sealed class ResourceClassSettingsReader(PaddockDbContext db, SecretProtector protector)
{
    public async Task<ResourceClassSettings?> FindAsync(string type, string name, CancellationToken ct)
    {
        var found = await db.ResourceClasses.AsNoTracking().FirstOrDefaultAsync(c => c.Type == type && c.Name == name, ct);
        return found is null ? null : Of(found, protector);
    }

    public static ResourceClassSettings Of(ResourceClass resourceClass, SecretProtector protector) => new(
        resourceClass.Type, resourceClass.Name, resourceClass.Values,
        resourceClass.ProtectedSecrets.ToDictionary(s => s.Key, s => protector.Unprotect(s.Value), StringComparer.Ordinal));
}
