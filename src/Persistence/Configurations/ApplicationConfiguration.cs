using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Paddock.Domain.Applications;
using Paddock.Domain.Names;
using Paddock.Domain.Teams;

namespace Paddock.Persistence.Configurations;

internal sealed class ApplicationConfiguration : IEntityTypeConfiguration<Application>
{
    public void Configure(EntityTypeBuilder<Application> app)
    {
        app.HasKey(a => a.Id);
        app.Property(a => a.Name).HasConversion(n => n.Value, v => AppName.FromTrusted(v)).HasMaxLength(AppName.MaxLength);
        // Unique among live apps only: a deleted app keeps its history and frees its name.
        app.HasIndex(a => a.Name).IsUnique().HasFilter("deleted_at IS NULL");
        app.HasIndex(a => a.TeamId);
        app.HasOne<Team>().WithMany().HasForeignKey(a => a.TeamId).OnDelete(DeleteBehavior.Restrict);
        app.Property(a => a.Description).HasMaxLength(2000);
        app.Property(a => a.RepositoryUrl).HasMaxLength(2000);
        app.Property(a => a.Image).HasMaxLength(512);
        app.Property(a => a.Variables).HasJsonbConversion();
        app.Property(a => a.Sidecars).HasJsonbListConversion();
        app.ComplexProperty(a => a.HealthCheck, h => h.Property(x => x.Kind).HasConversion<string>().HasMaxLength(10));
        app.ComplexProperty(a => a.Limits);
        app.Property<uint>("xmin").IsRowVersion();
    }
}
