using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Paddock.Domain.Applications;
using Paddock.Domain.Secrets;

namespace Paddock.Persistence.Configurations;

internal sealed class RegistryCredentialVersionConfiguration : IEntityTypeConfiguration<RegistryCredentialVersion>
{
    public void Configure(EntityTypeBuilder<RegistryCredentialVersion> credentials)
    {
        credentials.HasKey(c => c.Id);
        credentials.HasIndex(c => new { c.ApplicationId, c.EnvironmentId, c.Version }).IsUnique().AreNullsDistinct(false);
        credentials.HasOne<Application>().WithMany().HasForeignKey(c => c.ApplicationId).OnDelete(DeleteBehavior.Restrict);
        credentials.Property(c => c.Server).HasMaxLength(RegistryCredentialVersion.MaxServerLength);
        credentials.Property(c => c.Username).HasMaxLength(RegistryCredentialVersion.MaxUsernameLength);
        credentials.Property(c => c.CreatedBy).HasMaxLength(200);
    }
}
