using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Paddock.Domain.Applications;
using Paddock.Domain.Environments;
using Paddock.Domain.Names;

namespace Paddock.Persistence.Configurations;

internal sealed class EnvironmentConfiguration : IEntityTypeConfiguration<AppEnvironment>
{
    public void Configure(EntityTypeBuilder<AppEnvironment> env)
    {
        env.ToTable("environments");
        env.HasKey(e => e.Id);
        env.Property(e => e.Name).HasConversion(n => n.Value, v => EnvironmentName.FromTrusted(v)).HasMaxLength(EnvironmentName.MaxLength);
        env.Property(e => e.ResourceName).HasConversion(n => n.Value, v => ResourceName.FromTrusted(v)).HasMaxLength(63);
        env.HasIndex(e => new { e.ApplicationId, e.Name }).IsUnique().HasFilter("deleted_at IS NULL");
        env.HasIndex(e => e.ResourceName).IsUnique().HasFilter("deleted_at IS NULL");
        env.HasOne<Application>().WithMany().HasForeignKey(e => e.ApplicationId).OnDelete(DeleteBehavior.Restrict);
        env.Property(e => e.Stage).HasConversion<string>().HasMaxLength(20);
        env.Property(e => e.Status).HasConversion<string>().HasMaxLength(20);
        env.Property(e => e.Health).HasConversion<string>().HasMaxLength(20);
        env.Property(e => e.Sync).HasConversion<string>().HasMaxLength(20);
        env.Property(e => e.Backend).HasMaxLength(63);
        env.Property(e => e.StatusReason).HasMaxLength(4000);
        env.Property(e => e.Url).HasMaxLength(2000);
        env.Property(e => e.CreatedBy).HasMaxLength(200);
        env.Property(e => e.ResourcePolicy).HasConversion<string>().HasMaxLength(20);
        env.Property(e => e.SelfHeal).HasDefaultValue(true).HasSentinel(true);
        env.Property(e => e.VariableOverrides).HasJsonbConversion();
        env.ComplexProperty(e => e.Overrides);
        env.Property<uint>("xmin").IsRowVersion();
    }
}
