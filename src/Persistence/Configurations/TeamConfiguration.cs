using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Paddock.Domain.Names;
using Paddock.Domain.Teams;

namespace Paddock.Persistence.Configurations;

internal sealed class TeamConfiguration : IEntityTypeConfiguration<Team>
{
    public void Configure(EntityTypeBuilder<Team> team)
    {
        team.HasKey(t => t.Id);
        team.Property(t => t.Name).HasConversion(n => n.Value, v => TeamName.FromTrusted(v)).HasMaxLength(TeamName.MaxLength);
        team.HasIndex(t => t.Name).IsUnique();
        team.Property(t => t.DisplayName).HasMaxLength(200);
        team.Property(t => t.Quota).StoredAsJson();
        team.Property(t => t.ResourceQuota).StoredAsJson();
        team.Property<uint>("xmin").IsRowVersion();
        team.HasMany(t => t.Members).WithOne().HasForeignKey(m => m.TeamId).OnDelete(DeleteBehavior.Cascade);
        team.Navigation(t => t.Members).HasField("_members").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class TeamMemberConfiguration : IEntityTypeConfiguration<TeamMember>
{
    public void Configure(EntityTypeBuilder<TeamMember> member)
    {
        member.HasKey(m => new { m.TeamId, m.UserId });
        member.HasIndex(m => m.UserId);
        member.Property(m => m.Role).HasConversion<string>().HasMaxLength(20);
        member.HasOne<PaddockUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
