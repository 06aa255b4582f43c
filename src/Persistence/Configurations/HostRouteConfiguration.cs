using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Paddock.Domain.Edge;
using Paddock.Domain.Environments;

namespace Paddock.Persistence.Configurations;

internal sealed class HostRouteConfiguration : IEntityTypeConfiguration<HostRoute>
{
    public void Configure(EntityTypeBuilder<HostRoute> route)
    {
        route.ToTable("host_routes");
        route.HasKey(r => r.Uid);
        route.HasOne<AppEnvironment>().WithMany().HasForeignKey(r => r.EnvironmentId).OnDelete(DeleteBehavior.Cascade);
        // One environment per host and path: a second claim fails on this index.
        route.HasIndex(r => new { r.Host, r.Path }).IsUnique();
        route.HasIndex(r => r.EnvironmentId);
        route.Property(r => r.Uid).HasMaxLength(40);
        route.Property(r => r.Host).HasMaxLength(253);
        route.Property(r => r.Path).HasMaxLength(1000);
    }
}
