using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Applications;
using Paddock.Domain.Audit;
using Paddock.Domain.Catalog;
using Paddock.Domain.Clusters;
using Paddock.Domain.Deployments;
using Paddock.Domain.Edge;
using Paddock.Domain.Environments;
using Paddock.Domain.Resources;
using Paddock.Domain.Secrets;
using Paddock.Domain.Sources;
using Paddock.Domain.Teams;
using Paddock.Domain.Tickets;
using Paddock.Domain.Tokens;
using Paddock.Domain.Workloads;

namespace Paddock.Persistence;

public sealed class PaddockDbContext : IdentityDbContext<PaddockUser, IdentityRole<Guid>, Guid>, IDataProtectionKeyContext
{
    public PaddockDbContext(DbContextOptions<PaddockDbContext> options) : base(options)
    {
        // EF wraps every SaveChanges inside an open transaction in a savepoint (two more round trips each) so that a
        // failed save leaves the transaction usable. Paddock never goes on after a failed save: the transaction is
        // disposed, so rolled back, on the way out (the deploy request's transaction saves twice: 4 round trips).
        Database.AutoSavepointsEnabled = false;
    }

    public DbSet<Team> Teams => Set<Team>();
    public DbSet<TeamMember> TeamMembers => Set<TeamMember>();
    public DbSet<Application> Applications => Set<Application>();
    public DbSet<AppEnvironment> Environments => Set<AppEnvironment>();
    public DbSet<SecretVersion> SecretVersions => Set<SecretVersion>();
    public DbSet<RegistryCredentialVersion> RegistryCredentialVersions => Set<RegistryCredentialVersion>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<Deployment> Deployments => Set<Deployment>();
    public DbSet<EnvironmentEvent> EnvironmentEvents => Set<EnvironmentEvent>();
    public DbSet<EdgeRoute> EdgeRoutes => Set<EdgeRoute>();
    public DbSet<HostRoute> HostRoutes => Set<HostRoute>();
    public DbSet<Ticket> Tickets => Set<Ticket>();
    public DbSet<TeamDeliverySettings> TeamDeliverySettings => Set<TeamDeliverySettings>();
    public DbSet<Webhook> Webhooks => Set<Webhook>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<Cluster> Clusters => Set<Cluster>();
    public DbSet<WorkloadRevision> WorkloadRevisions => Set<WorkloadRevision>();
    public DbSet<DeploymentPlan> DeploymentPlans => Set<DeploymentPlan>();
    public DbSet<ResourceClass> ResourceClasses => Set<ResourceClass>();
    public DbSet<EnvironmentResource> EnvironmentResources => Set<EnvironmentResource>();
    public DbSet<GitRepository> GitRepositories => Set<GitRepository>();
    public DbSet<GitSource> GitSources => Set<GitSource>();
    public DbSet<DeploymentCommit> DeploymentCommits => Set<DeploymentCommit>();
    public DbSet<CatalogInstall> CatalogInstalls => Set<CatalogInstall>();
    public DbSet<CatalogSource> CatalogSources => Set<CatalogSource>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // Trigram indexes for substring search (TicketConfiguration); a trusted extension, so the database's owner
        // may create it.
        builder.HasPostgresExtension("pg_trgm");
        builder.ApplyConfigurationsFromAssembly(typeof(PaddockDbContext).Assembly);
    }
}
