using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Paddock.Domain.Edge;
using Paddock.Domain.Environments;

namespace Paddock.Persistence.Configurations;

internal sealed class EdgeRouteConfiguration : IEntityTypeConfiguration<EdgeRoute>
{
    public void Configure(EntityTypeBuilder<EdgeRoute> route)
    {
        route.HasKey(r => r.EnvironmentId);
        route.HasOne<AppEnvironment>().WithOne().HasForeignKey<EdgeRoute>(r => r.EnvironmentId).OnDelete(DeleteBehavior.Cascade);
        route.HasIndex(r => r.Host).IsUnique();
        route.Property(r => r.Host).HasMaxLength(253);
    }
}
