using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;
using Paddock.Domain.Sources;
using Paddock.Domain.Teams;

namespace Paddock.Persistence.Configurations;

internal sealed class GitRepositoryConfiguration : IEntityTypeConfiguration<GitRepository>
{
    public void Configure(EntityTypeBuilder<GitRepository> repository)
    {
        repository.ToTable("git_repositories");
        repository.HasKey(r => r.Id);
        repository.HasOne<Team>().WithMany().HasForeignKey(r => r.TeamId).OnDelete(DeleteBehavior.Cascade);
        repository.HasIndex(r => new { r.TeamId, r.Url }).IsUnique();
        repository.Property(r => r.Url).HasMaxLength(GitRepository.MaxUrlLength);
        repository.Property(r => r.CredentialKind).HasConversion<string>().HasMaxLength(20);
        repository.Property(r => r.ProtectedCredential).HasMaxLength(20000);
        repository.Property(r => r.CreatedBy).HasMaxLength(200);
        repository.Property(r => r.LastFetchError).HasMaxLength(2000);
    }
}

internal sealed class GitSourceConfiguration : IEntityTypeConfiguration<GitSource>
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public void Configure(EntityTypeBuilder<GitSource> source)
    {
        source.ToTable("git_sources");
        source.HasKey(s => s.EnvironmentId);
        source.HasOne<AppEnvironment>().WithOne().HasForeignKey<GitSource>(s => s.EnvironmentId).OnDelete(DeleteBehavior.Cascade);
        // A followed repository cannot be deleted from under its environments: stop following first.
        source.HasOne<GitRepository>().WithMany().HasForeignKey(s => s.RepositoryId).OnDelete(DeleteBehavior.Restrict);
        source.HasIndex(s => s.RepositoryId);
        source.Property(s => s.Ref).HasMaxLength(GitSource.MaxRefLength);
        source.Property(s => s.Path).HasMaxLength(GitSource.MaxPathLength);
        source.Property(s => s.OverridePath).HasMaxLength(GitSource.MaxPathLength);
        source.Property(s => s.CreatedBy).HasMaxLength(200);
        source.Property(s => s.HeadSha).HasMaxLength(64);
        source.Property(s => s.Error).HasMaxLength(4000);
        source.Property(s => s.Applied).HasColumnType("jsonb").HasConversion(
            c => c == null ? null : JsonSerializer.Serialize(c, Options),
            c => c == null ? null : JsonSerializer.Deserialize<GitCommitInfo>(c, Options));
        source.Property(s => s.Next).HasColumnType("jsonb").HasConversion(
            c => c == null ? null : JsonSerializer.Serialize(c, Options),
            c => c == null ? null : JsonSerializer.Deserialize<GitCommitInfo>(c, Options));
    }
}

internal sealed class DeploymentCommitConfiguration : IEntityTypeConfiguration<DeploymentCommit>
{
    public void Configure(EntityTypeBuilder<DeploymentCommit> commit)
    {
        commit.ToTable("deployment_commits");
        commit.HasKey(c => c.DeploymentId);
        commit.HasOne<Deployment>().WithOne().HasForeignKey<DeploymentCommit>(c => c.DeploymentId).OnDelete(DeleteBehavior.Cascade);
        commit.HasOne<GitRepository>().WithMany().HasForeignKey(c => c.RepositoryId).OnDelete(DeleteBehavior.Cascade);
        commit.Property(c => c.Sha).HasMaxLength(64);
        commit.Property(c => c.Message).HasMaxLength(4000);
        commit.Property(c => c.Author).HasMaxLength(300);
    }
}
