using Microsoft.EntityFrameworkCore;
using Paddock.Persistence;

namespace Paddock.Portal.Api;

/// <summary>Optimistic concurrency over Postgres' <c>xmin</c>: GET hands out the row version as an ETag,
/// PATCH and DELETE send it back in If-Match, and EF refuses the write when the row moved on.</summary>
public static class ETags
{
    public static string Format(uint version) => $"\"{version}\"";

    public static uint VersionOf(PaddockDbContext db, object entity) => (uint)db.Entry(entity).Property("xmin").CurrentValue!;

    /// <summary>Parses <c>"123"</c> or <c>W/"123"</c>; null when absent, <c>false</c> when malformed.</summary>
    public static bool TryParse(string? header, out uint? version)
    {
        version = null;
        if (string.IsNullOrWhiteSpace(header)) return true;
        var text = header.Trim();
        if (text.StartsWith("W/", StringComparison.Ordinal)) text = text[2..];
        text = text.Trim('"');
        if (!uint.TryParse(text, out var parsed)) return false;
        version = parsed;
        return true;
    }

    /// <summary>The version in an ETag the portal itself produced (a view's <c>ETag</c>); null when there is none.</summary>
    public static uint? VersionIn(string? etag) =>
        TryParse(etag, out var version) ? version : throw new FormatException($"Not an ETag of the portal: {etag}");

    /// <summary>Makes the next SaveChanges fail with a concurrency error unless the row still has
    /// <paramref name="expected"/>. Returns false when it already differs (answer 412 at once).</summary>
    public static bool Expect(PaddockDbContext db, object entity, uint? expected)
    {
        if (expected is null) return true;
        var property = db.Entry(entity).Property("xmin");
        if ((uint)property.CurrentValue! != expected) return false;
        property.OriginalValue = expected.Value;
        return true;
    }

    public static bool IsConcurrencyConflict(Exception e) => e is DbUpdateConcurrencyException;
}
