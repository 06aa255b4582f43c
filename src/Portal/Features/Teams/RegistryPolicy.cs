using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Paddock.Domain.Registries;
using Paddock.Persistence;
using Paddock.Portal.Api;

namespace Paddock.Portal.Features.Teams;

/// <summary>Which registries a team's images may come from: <c>Paddock:AllowedRegistries</c> (the platform's list)
/// narrowed by the team's own list. Checked wherever an image is chosen, before anything is saved or queued.</summary>
public sealed class RegistryPolicy(PaddockDbContext db, IOptions<PaddockOptions> options)
{
    public IReadOnlyCollection<string> Platform => options.Value.AllowedRegistries;

    /// <summary>Adds a field error when <paramref name="image"/> (already a valid reference) is on a refused registry.</summary>
    public async Task CheckAsync(Guid teamId, string? image, FieldErrors errors, CancellationToken ct, string field = "image")
    {
        if (string.IsNullOrEmpty(image) || errors.Has(field)) return;
        var own = await db.Teams.AsNoTracking().Where(t => t.Id == teamId).Select(t => t.AllowedRegistries).SingleOrDefaultAsync(ct);
        errors.Add(field, new RegistryAllowList(Platform, own).Check(image));
    }
}
