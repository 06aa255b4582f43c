using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Paddock.Domain.Teams;
using Paddock.Domain.Tickets;

namespace Paddock.Persistence.Configurations;

internal sealed class WebhookConfiguration : IEntityTypeConfiguration<Webhook>
{
    public void Configure(EntityTypeBuilder<Webhook> hook)
    {
        hook.HasKey(h => h.Id);
        hook.HasOne<Team>().WithMany().HasForeignKey(h => h.TeamId).OnDelete(DeleteBehavior.Cascade);
        hook.HasIndex(h => h.TeamId);
        hook.Property(h => h.Source).HasConversion<string>().HasMaxLength(20);
        hook.Property(h => h.ProtectedSecret).HasMaxLength(2000);
        hook.Property(h => h.DeployOnPushBranch).HasMaxLength(255);
        hook.Property(h => h.ImageTemplate).HasMaxLength(500);
        hook.Property(h => h.CreatedBy).HasMaxLength(200);
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> delivery)
    {
        delivery.ToTable("webhook_deliveries");
        // The key is the replay guard: the same delivery id twice for one hook cannot be stored.
        delivery.HasKey(d => new { d.WebhookId, d.DeliveryId });
        delivery.HasOne<Webhook>().WithMany().HasForeignKey(d => d.WebhookId).OnDelete(DeleteBehavior.Cascade);
        delivery.Property(d => d.DeliveryId).HasMaxLength(200);
    }
}
