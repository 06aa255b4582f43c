using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;

namespace Paddock.Persistence.Configurations;

internal sealed class DeploymentConfiguration : IEntityTypeConfiguration<Deployment>
{
    private static readonly JsonSerializerOptions SnapshotJson = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public void Configure(EntityTypeBuilder<Deployment> deployment)
    {
        deployment.HasKey(d => d.Id);
        deployment.HasOne<AppEnvironment>().WithMany().HasForeignKey(d => d.EnvironmentId).OnDelete(DeleteBehavior.Restrict);
        deployment.HasIndex(d => new { d.EnvironmentId, d.Revision }).IsUnique();
        deployment.HasIndex(d => new { d.EnvironmentId, d.IdempotencyKey }).IsUnique().HasFilter("idempotency_key IS NOT NULL");
        deployment.HasIndex(d => d.Status).HasFilter("status IN ('Queued', 'Deploying')");
        deployment.HasIndex(d => d.ApplicationId);
        deployment.HasIndex(d => d.RetiringSince).HasFilter("retiring_since IS NOT NULL AND retired_at IS NULL");
        deployment.Property(d => d.Status).HasConversion<string>().HasMaxLength(20);
        deployment.Property(d => d.Snapshot).HasColumnType("jsonb").HasConversion(
            s => JsonSerializer.Serialize(s, SnapshotJson),
            s => JsonSerializer.Deserialize<DeploymentSnapshot>(s, SnapshotJson)!,
            new ValueComparer<DeploymentSnapshot>((a, b) => ReferenceEquals(a, b), s => s.GetHashCode(), s => s));
        deployment.Property(d => d.ImageDigest).HasMaxLength(200);
        deployment.Property(d => d.TriggeredById).HasMaxLength(200);
        deployment.Property(d => d.TriggeredByName).HasMaxLength(256);
        deployment.Property(d => d.Message).HasMaxLength(2000);
        deployment.Property(d => d.IdempotencyKey).HasMaxLength(200);
        deployment.Property(d => d.FailureReason).HasMaxLength(8000);
        deployment.Property(d => d.WorkerId).HasMaxLength(200);
        deployment.Ignore(d => d.Image);
        deployment.HasOne<Domain.Workloads.WorkloadRevision>().WithMany().HasForeignKey(d => d.WorkloadRevisionId).OnDelete(DeleteBehavior.Restrict);
        deployment.Property<uint>("xmin").IsRowVersion();
    }
}

internal sealed class EnvironmentEventConfiguration : IEntityTypeConfiguration<EnvironmentEvent>
{
    public void Configure(EntityTypeBuilder<EnvironmentEvent> e)
    {
        e.ToTable("environment_events");
        e.HasKey(x => new { x.EnvironmentId, x.Sequence });
        e.Property(x => x.Sequence).ValueGeneratedNever();
        e.HasOne<AppEnvironment>().WithMany().HasForeignKey(x => x.EnvironmentId).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(x => x.DeploymentId);
        e.Property(x => x.Phase).HasMaxLength(50);
        e.Property(x => x.Level).HasConversion<string>().HasMaxLength(10);
        e.Property(x => x.Message).HasMaxLength(4000);
    }
}
