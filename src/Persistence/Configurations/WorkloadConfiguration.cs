using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Paddock.Domain.Applications;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;
using Paddock.Domain.Workloads;

namespace Paddock.Persistence.Configurations;

internal sealed class WorkloadRevisionConfiguration : IEntityTypeConfiguration<WorkloadRevision>
{
    public void Configure(EntityTypeBuilder<WorkloadRevision> revision)
    {
        revision.ToTable("workload_revisions");
        revision.HasKey(r => r.Id);
        revision.HasOne<Application>().WithMany().HasForeignKey(r => r.ApplicationId).OnDelete(DeleteBehavior.Restrict);
        revision.HasIndex(r => new { r.ApplicationId, r.Number }).IsUnique();
        revision.Property(r => r.Origin).HasConversion<string>().HasMaxLength(20);
        revision.Property(r => r.ContentHash).HasMaxLength(80);
        revision.Property(r => r.CreatedById).HasMaxLength(200);
        revision.Property(r => r.CreatedByName).HasMaxLength(256);
    }
}

internal sealed class DeploymentPlanConfiguration : IEntityTypeConfiguration<DeploymentPlan>
{
    public void Configure(EntityTypeBuilder<DeploymentPlan> plan)
    {
        plan.ToTable("deployment_plans");
        plan.HasKey(p => p.Id);
        plan.HasOne<Application>().WithMany().HasForeignKey(p => p.ApplicationId).OnDelete(DeleteBehavior.Restrict);
        plan.HasOne<AppEnvironment>().WithMany().HasForeignKey(p => p.EnvironmentId).OnDelete(DeleteBehavior.Restrict);
        plan.HasOne<Deployment>().WithMany().HasForeignKey(p => p.DeploymentId).OnDelete(DeleteBehavior.Restrict);
        plan.HasOne<WorkloadRevision>().WithMany().HasForeignKey(p => p.AppliedRevisionId).OnDelete(DeleteBehavior.Restrict);
        plan.HasIndex(p => new { p.EnvironmentId, p.CreatedAt });
        plan.Property(p => p.ContentHash).HasMaxLength(80);
        plan.Property(p => p.Summary).HasMaxLength(200);
        plan.Property(p => p.Items).HasColumnType("jsonb");
        plan.Property(p => p.CreatedById).HasMaxLength(200);
        plan.Property(p => p.CreatedByName).HasMaxLength(256);
        plan.ComplexProperty(p => p.Base, b =>
        {
            b.Property(x => x.RevisionHash).HasMaxLength(80);
            b.Property(x => x.SettingsHash).HasMaxLength(80);
        });
        // Two applies of one plan at once: the second one's write meets a moved row and is refused.
        plan.Property<uint>("xmin").IsRowVersion();
    }
}
