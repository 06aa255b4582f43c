using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Paddock.Domain.Teams;
using Paddock.Domain.Tickets;

namespace Paddock.Persistence.Configurations;

internal sealed class TicketConfiguration : IEntityTypeConfiguration<Ticket>
{
    public void Configure(EntityTypeBuilder<Ticket> ticket)
    {
        ticket.HasKey(t => t.Id);
        ticket.HasOne<Team>().WithMany().HasForeignKey(t => t.TeamId).OnDelete(DeleteBehavior.Cascade);
        ticket.HasIndex(t => new { t.TeamId, t.Key }).IsUnique();
        // "Where is my ticket" looks a key up across the caller's teams.
        ticket.HasIndex(t => t.Key);
        // The app bar's search matches the start of a key or any part of a title, case-insensitively (ILIKE), in
        // tables of tens of thousands of tickets per team: trigram indexes serve both patterns.
        ticket.HasIndex(t => t.Key, "ix_tickets_key_trgm").HasDatabaseName("ix_tickets_key_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
        ticket.HasIndex(t => t.Title, "ix_tickets_title_trgm").HasDatabaseName("ix_tickets_title_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
        ticket.Property(t => t.Key).HasMaxLength(TicketKeys.MaxKeyLength);
        ticket.Property(t => t.Title).HasMaxLength(Ticket.MaxTitleLength);
        ticket.Property(t => t.Url).HasMaxLength(Ticket.MaxUrlLength);
        ticket.Property(t => t.Type).HasConversion<string>().HasMaxLength(20);
        ticket.Property(t => t.Source).HasMaxLength(20);
    }
}

internal sealed class TeamDeliverySettingsConfiguration : IEntityTypeConfiguration<TeamDeliverySettings>
{
    public void Configure(EntityTypeBuilder<TeamDeliverySettings> settings)
    {
        settings.ToTable("team_delivery_settings");
        settings.HasKey(s => s.TeamId);
        settings.HasOne<Team>().WithOne().HasForeignKey<TeamDeliverySettings>(s => s.TeamId).OnDelete(DeleteBehavior.Cascade);
        settings.Property<uint>("xmin").IsRowVersion();
    }
}
