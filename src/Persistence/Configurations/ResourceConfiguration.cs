using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Paddock.Domain.Environments;
using Paddock.Domain.Resources;

namespace Paddock.Persistence.Configurations;

internal sealed class ResourceClassConfiguration : IEntityTypeConfiguration<ResourceClass>
{
    public void Configure(EntityTypeBuilder<ResourceClass> resourceClass)
    {
        resourceClass.ToTable("resource_classes");
        resourceClass.HasKey(c => c.Id);
        resourceClass.HasIndex(c => new { c.Type, c.Name }).IsUnique();
        resourceClass.Property(c => c.Type).HasMaxLength(63);
        resourceClass.Property(c => c.Name).HasMaxLength(63);
        resourceClass.Property(c => c.Values).HasJsonbConversion();
        resourceClass.Property(c => c.ProtectedSecrets).HasJsonbConversion();
        resourceClass.Property(c => c.CreatedBy).HasMaxLength(200);
        resourceClass.Property(c => c.UpdatedBy).HasMaxLength(200);
        resourceClass.Property<uint>("xmin").IsRowVersion();
    }
}

internal sealed class EnvironmentResourceConfiguration : IEntityTypeConfiguration<EnvironmentResource>
{
    public void Configure(EntityTypeBuilder<EnvironmentResource> resource)
    {
        resource.ToTable("environment_resources");
        resource.HasKey(r => r.Id);
        resource.HasOne<AppEnvironment>().WithMany().HasForeignKey(r => r.EnvironmentId).OnDelete(DeleteBehavior.Restrict);
        // The uid derives from the environment and the Score resource id: one row per resource of an environment.
        resource.HasIndex(r => new { r.EnvironmentId, r.Uid }).IsUnique();
        resource.HasIndex(r => new { r.Type, r.Class });
        resource.Property(r => r.Name).HasMaxLength(63);
        resource.Property(r => r.Type).HasMaxLength(63);
        resource.Property(r => r.Class).HasMaxLength(63);
        resource.Property(r => r.ResourceId).HasMaxLength(300);
        resource.Property(r => r.Uid).HasMaxLength(40);
        resource.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        resource.Property(r => r.SnapshotPath).HasMaxLength(1000);
        resource.Property(r => r.Values).HasJsonbConversion();
        resource.Property(r => r.ProtectedSecrets).HasJsonbConversion();
        resource.Property<uint>("xmin").IsRowVersion();
    }
}
