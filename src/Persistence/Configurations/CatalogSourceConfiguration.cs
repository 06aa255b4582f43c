using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Paddock.Domain.Catalog;
using Paddock.Domain.Sources;

namespace Paddock.Persistence.Configurations;

internal sealed class CatalogSourceConfiguration : IEntityTypeConfiguration<CatalogSource>
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public void Configure(EntityTypeBuilder<CatalogSource> source)
    {
        source.ToTable("catalog_sources");
        source.HasKey(s => s.Id);
        source.HasIndex(s => s.Name).IsUnique();
        source.Property(s => s.Name).HasMaxLength(CatalogSource.MaxNameLength);
        source.Property(s => s.Url).HasMaxLength(GitRepository.MaxUrlLength);
        source.Property(s => s.Ref).HasMaxLength(CatalogSource.MaxRefLength);
        source.Property(s => s.Path).HasMaxLength(CatalogSource.MaxPathLength);
        source.Property(s => s.CredentialKind).HasConversion<string>().HasMaxLength(20);
        source.Property(s => s.ProtectedCredential).HasMaxLength(20000);
        source.Property(s => s.CreatedBy).HasMaxLength(200);
        source.Property(s => s.LastCommit).HasMaxLength(64);
        source.Property(s => s.LastError).HasMaxLength(2000);
        // Replaced as a whole on each read, never edited in place: compared by its JSON.
        source.Property(s => s.Files).HasColumnType("jsonb").HasConversion(
            v => JsonSerializer.Serialize(v, Options),
            v => JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(v, Options) ?? new Dictionary<string, Dictionary<string, string>>(),
            new ValueComparer<Dictionary<string, Dictionary<string, string>>>(
                (a, b) => JsonSerializer.Serialize(a, Options) == JsonSerializer.Serialize(b, Options),
                v => JsonSerializer.Serialize(v, Options).GetHashCode(StringComparison.Ordinal),
                v => v.ToDictionary(e => e.Key, e => new Dictionary<string, string>(e.Value))));
    }
}
