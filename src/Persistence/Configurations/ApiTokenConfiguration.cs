using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Paddock.Domain.Teams;
using Paddock.Domain.Tokens;

namespace Paddock.Persistence.Configurations;

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> token)
    {
        token.HasKey(t => t.Id);
        token.HasIndex(t => t.Hash).IsUnique();
        token.HasIndex(t => t.UserId);
        token.HasIndex(t => t.TeamId);
        token.Property(t => t.Name).HasMaxLength(200);
        token.Property(t => t.Hash).HasMaxLength(64);
        token.Property(t => t.Hint).HasMaxLength(8);
        token.Property(t => t.CreatedBy).HasMaxLength(200);
        token.Property(t => t.Scope).HasConversion<string>().HasMaxLength(20);
        token.HasOne<PaddockUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        token.HasOne<Team>().WithMany().HasForeignKey(t => t.TeamId).OnDelete(DeleteBehavior.Cascade);
        token.ToTable(t => t.HasCheckConstraint("ck_api_tokens_owner", "(user_id IS NULL) <> (team_id IS NULL)"));
    }
}
