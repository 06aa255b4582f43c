using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Paddock.Domain.Clusters;

namespace Paddock.Persistence.Configurations;

internal sealed class ClusterConfiguration : IEntityTypeConfiguration<Cluster>
{
    public void Configure(EntityTypeBuilder<Cluster> cluster)
    {
        cluster.ToTable("clusters");
        cluster.HasKey(c => c.Id);
        cluster.Property(c => c.Name).HasConversion(n => n.Value, v => ClusterName.FromTrusted(v)).HasMaxLength(ClusterName.MaxLength);
        // Unique among live clusters only: a deleted cluster keeps its history and frees its name.
        cluster.HasIndex(c => c.Name).IsUnique().HasFilter("deleted_at IS NULL");
        cluster.Property(c => c.ServerUrl).HasMaxLength(2000);
        cluster.Property(c => c.ContextName).HasMaxLength(253);
        cluster.Property(c => c.IngressHostPattern).HasMaxLength(IngressHostPattern.MaxLength);
        cluster.Property(c => c.IngressClass).HasMaxLength(253);
        cluster.Property(c => c.StorageClass).HasMaxLength(253);
        cluster.Property(c => c.IngressControllerNamespace).HasMaxLength(63);
        cluster.Property(c => c.DefaultQuota).StoredAsJson();
        cluster.Property(c => c.PullServer).HasMaxLength(512);
        cluster.Property(c => c.PullUsername).HasMaxLength(512);
        cluster.Property(c => c.CreatedBy).HasMaxLength(200);
        cluster.Property(c => c.UpdatedBy).HasMaxLength(200);
        cluster.Property<uint>("xmin").IsRowVersion();
    }
}
