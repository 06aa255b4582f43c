using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Paddock.Domain.Applications;
using Paddock.Domain.Secrets;

namespace Paddock.Persistence.Configurations;

internal sealed class SecretVersionConfiguration : IEntityTypeConfiguration<SecretVersion>
{
    public void Configure(EntityTypeBuilder<SecretVersion> secret)
    {
        secret.HasKey(s => s.Id);
        secret.HasIndex(s => new { s.ApplicationId, s.EnvironmentId, s.Name, s.Version }).IsUnique().AreNullsDistinct(false);
        secret.HasOne<Application>().WithMany().HasForeignKey(s => s.ApplicationId).OnDelete(DeleteBehavior.Restrict);
        secret.Property(s => s.Name).HasMaxLength(128);
        secret.Property(s => s.CreatedBy).HasMaxLength(200);
    }
}
