using Paddock.Domain.Sources;
using Microsoft.Extensions.DependencyInjection;
using Paddock.Domain.Applications;
using Paddock.Domain.Clusters;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;
using Paddock.Domain.Names;
using Paddock.Domain.Teams;
using Paddock.Domain.Tickets;
using Paddock.Domain.Tokens;
using Paddock.Integration.Tests.Infrastructure;
using Paddock.Persistence;
using Paddock.Persistence.Secrets;

namespace Paddock.Integration.Tests.Access;

public enum CallerKind
{
    Anonymous,
    OtherTeamMember,
    Viewer,
    Member,
    Owner,
    ReadToken,
    DeployToken,
    Admin,
}

/// <summary>One user per kind of person, created once per test (password hashing is slow); worlds reuse them.</summary>
public sealed record People(Dictionary<CallerKind, Guid> UserIds, Guid SpareUserId, string SpareEmail)
{
    public static async Task<People> CreateAsync(PortalFixture portal)
    {
        var n = Guid.NewGuid().ToString("N")[..8];
        var ids = new Dictionary<CallerKind, Guid>();
        foreach (var kind in new[] { CallerKind.OtherTeamMember, CallerKind.Viewer, CallerKind.Member, CallerKind.Owner, CallerKind.Admin })
            ids[kind] = (await portal.CreateUserAsync($"{kind.ToString().ToLowerInvariant()}-{n}@example.com", platformAdmin: kind == CallerKind.Admin)).UserId;
        var spareEmail = $"spare-{n}@example.com";
        var (spareId, _) = await portal.CreateUserAsync(spareEmail);
        return new People(ids, spareId, spareEmail);
    }
}

/// <summary>A fresh team (the people in their roles, plus a spare viewer), an app with an environment, a bare app,
/// team tokens and new personal tokens, written straight to the database: one world per allowed call, so that a
/// call that changes things affects no other.</summary>
public sealed record AccessWorld(
    string Team, string App, string BareApp, string Environment,
    Dictionary<CallerKind, string?> Tokens, Dictionary<CallerKind, Guid> PersonalTokenIds,
    string SpareMemberEmail, Guid SpareUserId, Guid ReadTokenId, Guid DeploymentId, Guid WebhookId, string WebhookSecret, string Cluster, Guid PlanId,
    string ResourceClass, Guid RepositoryId, string RepositoryToRegister, string FollowedRepository,
    string DataClass, string DevDatabaseUid, string CopyDatabaseUid, string DevBackupDirectory, string CatalogSource, string CatalogRepository)
{
    public const string TicketKey = "PAY-1";

    private static int NameCounter;

    public static async Task<AccessWorld> CreateAsync(PortalFixture portal, People people)
    {
        var n = $"{System.Environment.ProcessId % 1000}x{Interlocked.Increment(ref NameCounter)}";
        var roles = new[] { (CallerKind.Owner, TeamRole.Owner), (CallerKind.Member, TeamRole.Member), (CallerKind.Viewer, TeamRole.Viewer) };
        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PaddockDbContext>();
        var now = DateTime.UtcNow;

        var team = new Team(TeamName.Parse($"team-{n}"), null, now);
        foreach (var (kind, role) in roles) team.SetMember(people.UserIds[kind], role, now);
        team.SetMember(people.SpareUserId, TeamRole.Viewer, now);
        var other = new Team(TeamName.Parse($"other-{n}"), null, now);
        other.SetMember(people.UserIds[CallerKind.OtherTeamMember], TeamRole.Owner, now);
        db.Teams.AddRange(team, other);

        var app = new Application(AppName.Parse($"app-{n}"), team.Id, "localhost/paddock-demo:1", 8080, now);
        var bare = new Application(AppName.Parse($"bare-{n}"), team.Id, "localhost/paddock-demo:1", 8080, now);
        db.Applications.AddRange(app, bare);
        var env = new AppEnvironment(app, EnvironmentName.Parse("dev"), Stage.Development, "docker", "test-setup", now);
        db.Environments.Add(env);
        var deployment = new Deployment(env.Id, app.Id, env.NextRevision(), DeploymentSnapshot.Of(app, env, []), "test-setup", "test-setup",
            null, null, null, null, now);
        db.Deployments.Add(deployment);

        db.Tickets.Add(new Ticket(team.Id, TicketKey, "test-setup", now));
        const string webhookSecret = "whsec_access-world";
        var webhook = new Webhook(team.Id, WebhookSource.Generic, scope.ServiceProvider.GetRequiredService<SecretProtector>().Protect(webhookSecret), "test-setup", now);
        db.Webhooks.Add(webhook);

        // A cluster no environment uses, so deleting it is allowed; nothing listens at its server.
        var cluster = new Cluster(ClusterName.Parse($"cluster-{n}"), "test-setup", now);
        cluster.UseKubeconfig(scope.ServiceProvider.GetRequiredService<SecretProtector>().Protect(Clusters.Kubeconfigs.Unreachable()),
            Clusters.Kubeconfigs.UnreachableServer, "paddock");
        db.Clusters.Add(cluster);

        // A postgres class that holds no resource, so deleting it is allowed; nothing listens at its server.
        var resourceClass = new Paddock.Domain.Resources.ResourceClass("postgres", $"rc-{n}", "test-setup", now);
        resourceClass.Configure(ResourceClassValues, new Dictionary<string, string>(), "test-setup", now);
        db.ResourceClasses.Add(resourceClass);

        // A second environment that follows a repository at its head (so putting the same source again changes only the
        // source), and a registered repository nobody follows, so deleting it is allowed.
        var (git, head) = await AccessGitServer.StartedAsync();
        var followedEnv = new AppEnvironment(app, EnvironmentName.Parse("git"), Stage.Development, "docker", "test-setup", now);
        db.Environments.Add(followedEnv);
        var followed = new GitRepository(team.Id, git.UrlOf("followed"), GitCredentialKind.None, null, "test-setup", now);
        var unfollowed = new GitRepository(team.Id, git.UrlOf("to-delete"), GitCredentialKind.None, null, "test-setup", now);
        db.GitRepositories.AddRange(followed, unfollowed);
        var source = new GitSource(followedEnv.Id, app.Id, "test-setup", now);
        source.Follow(followed.Id, "main", AccessGitServer.WorkloadPath, null, autoApply: false);
        source.AppliedCommit(new GitCommitInfo(head, "The access world's workload", "test-setup", now), null, now);
        db.GitSources.Add(source);

        // A postgres class on the test server, and a resource "db" in dev and in a second environment "copy" (Ready rows);
        // their databases are made only by the rules that need them (AccessWorldData).
        var admin = new Npgsql.NpgsqlConnectionStringBuilder(Paddock.Testing.PostgresServer.SuperuserConnectionString);
        var dataClass = new Paddock.Domain.Resources.ResourceClass("postgres", $"data-{n}", "test-setup", now);
        dataClass.Configure(AccessWorldData.ClassValues(admin), admin.Password is { } adminPassword
            ? new Dictionary<string, string> { ["password"] = scope.ServiceProvider.GetRequiredService<SecretProtector>().Protect(adminPassword) }
            : new Dictionary<string, string>(), "test-setup", now);
        db.ResourceClasses.Add(dataClass);
        var copyEnv = new AppEnvironment(app, EnvironmentName.Parse("copy"), Stage.Development, "docker", "test-setup", now);
        db.Environments.Add(copyEnv);
        var resourceId = $"postgres.{dataClass.Name}#{app.Name.Value}.db";
        var devDb = new Paddock.Domain.Resources.EnvironmentResource(env.Id, "db", "postgres", dataClass.Name, resourceId,
            Paddock.Domain.Resources.ResourceUid.For(env.Id, resourceId), 0, now);
        var copyDb = new Paddock.Domain.Resources.EnvironmentResource(copyEnv.Id, "db", "postgres", dataClass.Name, resourceId,
            Paddock.Domain.Resources.ResourceUid.For(copyEnv.Id, resourceId), 0, now);
        copyDb.Ready(new Dictionary<string, string>(), new Dictionary<string, string>(), null, now);
        // dev's has outputs as the worker records them, a secret one encrypted, for the rule that reveals one.
        devDb.Ready(new Dictionary<string, string> { ["host"] = "127.0.0.1" },
            new Dictionary<string, string> { ["password"] = scope.ServiceProvider.GetRequiredService<SecretProtector>().Protect("world-db-password") }, null, now);
        db.EnvironmentResources.AddRange(devDb, copyDb);
        var backupDirectory = scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<PaddockOptions>>().Value.BackupDirectoryFor(devDb.Uid);

        // A git catalog with one entry, as if read from the git server's "catalog" repository (which registering reads for real).
        var catalogSource = new Paddock.Domain.Catalog.CatalogSource($"cat-{n}", git.UrlOf("catalog"), "main", AccessGitServer.CatalogPath,
            GitCredentialKind.None, null, "test-setup", now);
        catalogSource.Read(new string('0', 40), new Dictionary<string, Dictionary<string, string>>
        {
            [AccessGitServer.CatalogEntryFolder] = new(AccessGitServer.CatalogEntry),
        }, now);
        db.CatalogSources.Add(catalogSource);

        var (read, readSecret) = ApiToken.ForTeam(team.Id, "read", TokenScope.Read, now, null, "test-setup");
        var (deploy, deploySecret) = ApiToken.ForTeam(team.Id, "deploy", TokenScope.Deploy, now, null, "test-setup");
        db.ApiTokens.AddRange(read, deploy);
        var tokens = new Dictionary<CallerKind, string?>
        {
            [CallerKind.Anonymous] = null,
            [CallerKind.ReadToken] = readSecret,
            [CallerKind.DeployToken] = deploySecret,
        };
        var personalTokenIds = new Dictionary<CallerKind, Guid>();
        foreach (var (kind, userId) in people.UserIds)
        {
            var (token, secret) = ApiToken.ForUser(userId, $"world-{n}", now, null, "test-setup");
            db.ApiTokens.Add(token);
            tokens[kind] = secret;
            personalTokenIds[kind] = token.Id;
        }
        await db.SaveChangesAsync();

        // A plan of the environment's current workload, made through the API as anyone deploying would.
        using var planned = await portal.ClientWithToken(tokens[CallerKind.Admin]).PostAsync(
            $"/api/v1/apps/{app.Name.Value}/environments/dev/plans", EmptyWorkloadBody());
        var planBody = await planned.Content.ReadAsStringAsync();
        if (!planned.IsSuccessStatusCode) throw new InvalidOperationException($"planning the world's environment failed: {(int)planned.StatusCode} {planBody}");
        var planId = System.Text.Json.JsonDocument.Parse(planBody).RootElement.GetProperty("id").GetGuid();

        return new AccessWorld(team.Name.Value, app.Name.Value, bare.Name.Value, "dev", tokens, personalTokenIds,
            people.SpareEmail, people.SpareUserId, read.Id, deployment.Id, webhook.Id, webhookSecret, cluster.Name.Value, planId,
            resourceClass.Name, unfollowed.Id, git.UrlOf("to-register"), followed.Url,
            dataClass.Name, devDb.Uid, copyDb.Uid, backupDirectory, catalogSource.Name, git.UrlOf("catalog"));
    }

    public static Dictionary<string, string> ResourceClassValues => new()
    {
        ["host"] = "127.0.0.1", ["port"] = "9", ["username"] = "paddock", ["database"] = "postgres",
    };

    public static HttpContent EmptyWorkloadBody() => WorkloadBody("");

    /// <summary>A Score or override file as a YAML body.</summary>
    public static HttpContent WorkloadBody(string yaml)
    {
        var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(yaml));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/yaml");
        return content;
    }
}
