using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Paddock.Domain.Audit;

namespace Paddock.Persistence.Configurations;

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> audit)
    {
        audit.ToTable("audit_events");
        audit.HasKey(e => e.Sequence);
        // Sequence numbers are assigned under the chain lock, in chain order, never by the database.
        audit.Property(e => e.Sequence).ValueGeneratedNever();
        audit.Property(e => e.Before).HasColumnType("text");
        audit.Property(e => e.After).HasColumnType("text");
        audit.Property(e => e.Action).HasMaxLength(100);
        audit.Property(e => e.ActorId).HasMaxLength(200);
        audit.Property(e => e.ActorName).HasMaxLength(256);
        audit.Property(e => e.TargetType).HasMaxLength(100);
        audit.Property(e => e.TargetId).HasMaxLength(200);
        audit.Property(e => e.ClientIp).HasMaxLength(64);
        audit.Property(e => e.CorrelationId).HasMaxLength(128);
        audit.Property(e => e.PreviousMac).HasMaxLength(64);
        audit.Property(e => e.Mac).HasMaxLength(64);
        audit.HasIndex(e => e.At);
        audit.HasIndex(e => e.ActorId);
        audit.HasIndex(e => e.TeamId);
        audit.HasIndex(e => e.ApplicationId);
        audit.HasIndex(e => e.Action);
    }
}
