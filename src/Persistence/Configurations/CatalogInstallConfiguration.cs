using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Paddock.Domain.Applications;
using Paddock.Domain.Catalog;
using Paddock.Domain.Environments;
using Paddock.Domain.Workloads;

namespace Paddock.Persistence.Configurations;

internal sealed class CatalogInstallConfiguration : IEntityTypeConfiguration<CatalogInstall>
{
    public void Configure(EntityTypeBuilder<CatalogInstall> install)
    {
        install.ToTable("catalog_installs");
        install.HasKey(i => i.Id);
        install.HasOne<Application>().WithMany().HasForeignKey(i => i.ApplicationId).OnDelete(DeleteBehavior.Restrict);
        install.HasOne<AppEnvironment>().WithMany().HasForeignKey(i => i.EnvironmentId).OnDelete(DeleteBehavior.Restrict);
        install.HasOne<DeploymentPlan>().WithMany().HasForeignKey(i => i.PlanId).OnDelete(DeleteBehavior.Restrict);
        install.HasIndex(i => new { i.EnvironmentId, i.CreatedAt });
        install.Property(i => i.EntryId).HasMaxLength(100); // {source}/{entry} for an entry of a git catalog
        install.Property(i => i.Version).HasMaxLength(50);
        install.Property(i => i.Parameters).HasJsonbConversion();
        install.Property(i => i.CreatedById).HasMaxLength(200);
        install.Property(i => i.CreatedByName).HasMaxLength(256);
    }
}
