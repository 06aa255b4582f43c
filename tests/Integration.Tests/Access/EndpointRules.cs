namespace Paddock.Integration.Tests.Access;

/// <summary>What each kind of caller must get from an endpoint. <see cref="Allowed"/> means authorization let the
/// call through: any answer but 401, 403 and 404. Anonymous callers get 401, except at endpoints that authenticate
/// the request by other means (webhook receivers check the body's signature).</summary>
public sealed record Expectation(int OtherTeamMember, int Viewer, int Member, int Owner, int ReadToken, int DeployToken, int Admin, int AnonymousCaller = 401)
{
    public const int Allowed = 0;
    private const int A = Allowed;

    public static Expectation AnyAuthenticated { get; } = new(A, A, A, A, A, A, A);
    public static Expectation PeopleOnly { get; } = new(A, A, A, A, 403, 403, A);
    public static Expectation AdminOnly { get; } = new(403, 403, 403, 403, 403, 403, A);
    public static Expectation TeamRead { get; } = new(404, A, A, A, A, A, A);
    public static Expectation TeamManage { get; } = new(404, 403, A, A, 403, 403, A);
    public static Expectation TeamDeploy { get; } = new(404, 403, A, A, 403, A, A);
    public static Expectation TeamOwn { get; } = new(404, 403, 403, A, 403, 403, A);
    public static Expectation Anonymous { get; } = new(A, A, A, A, A, A, A, AnonymousCaller: A);

    public int For(CallerKind caller) => caller switch
    {
        CallerKind.Anonymous => AnonymousCaller,
        CallerKind.OtherTeamMember => OtherTeamMember,
        CallerKind.Viewer => Viewer,
        CallerKind.Member => Member,
        CallerKind.Owner => Owner,
        CallerKind.ReadToken => ReadToken,
        CallerKind.DeployToken => DeployToken,
        CallerKind.Admin => Admin,
        _ => throw new ArgumentOutOfRangeException(nameof(caller)),
    };
}

/// <summary>One row per API endpoint: who may call it, and a request that succeeds for an allowed caller.
/// The access test fails for any endpoint of the running app that has no row here. <see cref="Prepare"/> finishes the
/// request when a JSON body is not enough (e.g. signs it). <see cref="AuditEvents"/> is how many audit events one
/// successful call writes: one per change, and a call that changes several things writes one for each.</summary>
public sealed record EndpointRule(Expectation Expect, Func<AccessWorld, CallerKind, string> Path, Func<AccessWorld, object?>? Body = null,
    Action<AccessWorld, HttpRequestMessage>? Prepare = null, int AuditEvents = 1);

public static class EndpointRules
{
    public static readonly Dictionary<string, EndpointRule> All = new()
    {
        ["GET /api/v1/teams"] = new(Expectation.AnyAuthenticated, (_, _) => "/api/v1/teams"),
        ["POST /api/v1/teams"] = new(Expectation.PeopleOnly, (_, _) => "/api/v1/teams", w => new { name = $"new-{Guid.NewGuid():N}"[..20] }),
        ["GET /api/v1/teams/{team}"] = new(Expectation.TeamRead, (w, _) => $"/api/v1/teams/{w.Team}"),
        ["PATCH /api/v1/teams/{team}"] = new(Expectation.TeamOwn, (w, _) => $"/api/v1/teams/{w.Team}", _ => new { displayName = "Renamed" }),
        ["POST /api/v1/teams/{team}/members"] = new(Expectation.TeamOwn, (w, _) => $"/api/v1/teams/{w.Team}/members", w => new { email = w.SpareMemberEmail, role = "Member" }),
        ["DELETE /api/v1/teams/{team}/members"] = new(Expectation.TeamOwn, (w, _) => $"/api/v1/teams/{w.Team}/members?user={Uri.EscapeDataString(w.SpareMemberEmail)}"),
        ["DELETE /api/v1/teams/{team}/members/{user}"] = new(Expectation.TeamOwn, (w, _) => $"/api/v1/teams/{w.Team}/members/{Uri.EscapeDataString(w.SpareMemberEmail)}"),
        ["GET /api/v1/teams/{team}/tokens"] = new(Expectation.TeamOwn, (w, _) => $"/api/v1/teams/{w.Team}/tokens"),
        ["POST /api/v1/teams/{team}/tokens"] = new(Expectation.TeamOwn, (w, _) => $"/api/v1/teams/{w.Team}/tokens", _ => new { name = "ci", scope = "Deploy" }),
        ["DELETE /api/v1/teams/{team}/tokens/{id:guid}"] = new(Expectation.TeamOwn, (w, _) => $"/api/v1/teams/{w.Team}/tokens/{w.ReadTokenId}"),

        ["GET /api/v1/me"] = new(Expectation.AnyAuthenticated, (_, _) => "/api/v1/me"),
        ["POST /api/v1/me/password"] = new(Expectation.PeopleOnly, (_, _) => "/api/v1/me/password", _ => new { currentPassword = "test-password-123", newPassword = "another-password-456" }),
        ["GET /api/v1/me/tokens"] = new(Expectation.PeopleOnly, (_, _) => "/api/v1/me/tokens"),
        ["POST /api/v1/me/tokens"] = new(Expectation.PeopleOnly, (_, _) => "/api/v1/me/tokens", _ => new { name = "laptop" }),
        ["DELETE /api/v1/me/tokens/{id:guid}"] = new(Expectation.PeopleOnly,
            (w, caller) => $"/api/v1/me/tokens/{(w.PersonalTokenIds.TryGetValue(caller, out var id) ? id : Guid.NewGuid())}"),

        ["GET /api/v1/users"] = new(Expectation.AdminOnly, (_, _) => "/api/v1/users"),
        ["POST /api/v1/users"] = new(Expectation.AdminOnly, (_, _) => "/api/v1/users", _ => new { email = $"u{Guid.NewGuid():N}@example.com", displayName = "New" }),
        ["GET /api/v1/users/{id:guid}"] = new(Expectation.AdminOnly, (w, _) => $"/api/v1/users/{w.SpareUserId}"),
        ["PATCH /api/v1/users/{id:guid}"] = new(Expectation.AdminOnly, (w, _) => $"/api/v1/users/{w.SpareUserId}", _ => new { displayName = "Renamed" }),

        ["GET /api/v1/apps"] = new(Expectation.AnyAuthenticated, (_, _) => "/api/v1/apps"),
        // Another team's member names a team they cannot see: "unknown team", a field error.
        // Creating an app also stores its first workload revision, drawn from its settings: two audited changes.
        ["POST /api/v1/apps"] = new(Expectation.TeamManage with { OtherTeamMember = 400 }, (_, _) => "/api/v1/apps",
            w => new { name = $"n{Guid.NewGuid():N}"[..20], team = w.Team, image = "localhost/paddock-demo:1", port = 8080 }, AuditEvents: 2),
        ["GET /api/v1/apps/{app}"] = new(Expectation.TeamRead, (w, _) => $"/api/v1/apps/{w.App}"),
        ["PATCH /api/v1/apps/{app}"] = new(Expectation.TeamManage, (w, _) => $"/api/v1/apps/{w.App}", _ => new { description = "changed" }),
        ["DELETE /api/v1/apps/{app}"] = new(Expectation.TeamManage, (w, _) => $"/api/v1/apps/{w.BareApp}"),

        ["GET /api/v1/apps/{app}/environments"] = new(Expectation.TeamRead, (w, _) => $"/api/v1/apps/{w.App}/environments"),
        ["POST /api/v1/apps/{app}/environments"] = new(Expectation.TeamManage, (w, _) => $"/api/v1/apps/{w.App}/environments",
            _ => new { name = "staging", stage = "Staging", backend = "docker" }),
        ["GET /api/v1/apps/{app}/environments/{env}"] = new(Expectation.TeamRead, (w, _) => $"/api/v1/apps/{w.App}/environments/{w.Environment}"),
        ["PATCH /api/v1/apps/{app}/environments/{env}"] = new(Expectation.TeamManage, (w, _) => $"/api/v1/apps/{w.App}/environments/{w.Environment}", _ => new { replicas = 2 }),
        ["DELETE /api/v1/apps/{app}/environments/{env}"] = new(Expectation.TeamManage, (w, _) => $"/api/v1/apps/{w.App}/environments/{w.Environment}"),

        ["GET /api/v1/backends"] = new(Expectation.AnyAuthenticated, (_, _) => "/api/v1/backends"),
        ["GET /api/v1/clusters"] = new(Expectation.AdminOnly, (_, _) => "/api/v1/clusters"),
        ["POST /api/v1/clusters"] = new(Expectation.AdminOnly, (_, _) => "/api/v1/clusters",
            _ => new { name = $"c{Guid.NewGuid():N}"[..20], kubeconfig = Clusters.Kubeconfigs.Unreachable() }),
        ["GET /api/v1/clusters/{name}"] = new(Expectation.AdminOnly, (w, _) => $"/api/v1/clusters/{w.Cluster}"),
        ["PATCH /api/v1/clusters/{name}"] = new(Expectation.AdminOnly, (w, _) => $"/api/v1/clusters/{w.Cluster}", _ => new { ingressClass = "nginx" }),
        ["DELETE /api/v1/clusters/{name}"] = new(Expectation.AdminOnly, (w, _) => $"/api/v1/clusters/{w.Cluster}"),
        ["GET /api/v1/resource-classes"] = new(Expectation.AdminOnly, (_, _) => "/api/v1/resource-classes"),
        ["POST /api/v1/resource-classes"] = new(Expectation.AdminOnly, (_, _) => "/api/v1/resource-classes",
            _ => new { type = "postgres", name = $"rc{Guid.NewGuid():N}"[..20], values = AccessWorld.ResourceClassValues }),
        ["GET /api/v1/resource-classes/{type}/{name}"] = new(Expectation.AdminOnly, (w, _) => $"/api/v1/resource-classes/postgres/{w.ResourceClass}"),
        ["PATCH /api/v1/resource-classes/{type}/{name}"] = new(Expectation.AdminOnly, (w, _) => $"/api/v1/resource-classes/postgres/{w.ResourceClass}",
            _ => new { secrets = new Dictionary<string, string> { ["password"] = "new-password" } }),
        ["DELETE /api/v1/resource-classes/{type}/{name}"] = new(Expectation.AdminOnly, (w, _) => $"/api/v1/resource-classes/postgres/{w.ResourceClass}"),
        ["GET /api/v1/apps/{app}/environments/{env}/resources"] = new(Expectation.TeamRead, (w, _) => $"/api/v1/apps/{w.App}/environments/{w.Environment}/resources"),
        ["GET /api/v1/apps/{app}/environments/{env}/resources/{name}/backups"] = new(Expectation.TeamRead,
            (w, _) => $"/api/v1/apps/{w.App}/environments/{w.Environment}/resources/db/backups"),
        ["POST /api/v1/apps/{app}/environments/{env}/resources/{name}/backup"] = new(Expectation.TeamDeploy,
            (w, _) => $"/api/v1/apps/{w.App}/environments/{w.Environment}/resources/db/backup", Prepare: (w, _) => AccessWorldData.EnsureDatabases(w)),
        ["POST /api/v1/apps/{app}/environments/{env}/resources/{name}/restore"] = new(Expectation.TeamManage,
            (w, _) => $"/api/v1/apps/{w.App}/environments/{w.Environment}/resources/db/restore", w => new { backup = AccessWorldData.Backup(w) }),
        ["POST /api/v1/apps/{app}/environments/{env}/resources/{name}/copy"] = new(Expectation.TeamManage,
            (w, _) => $"/api/v1/apps/{w.App}/environments/{w.Environment}/resources/db/copy", w => new { environment = "copy" },
            Prepare: (w, _) => AccessWorldData.EnsureDatabases(w)),
        // Members only: a deploy token runs CI and has no need to read a database's password.
        ["POST /api/v1/apps/{app}/environments/{env}/resources/{name}/outputs/{output}/reveal"] = new(Expectation.TeamManage,
            (w, _) => $"/api/v1/apps/{w.App}/environments/{w.Environment}/resources/db/outputs/password/reveal"),
        ["POST /api/v1/apps/{app}/environments/{env}/deployments"] = new(Expectation.TeamDeploy,
            (w, _) => $"/api/v1/apps/{w.App}/environments/{w.Environment}/deployments", _ => new { message = "ship it", tickets = new[] { "PAY-1" } }),
        ["GET /api/v1/apps/{app}/environments/{env}/deployments"] = new(Expectation.TeamRead, (w, _) => $"/api/v1/apps/{w.App}/environments/{w.Environment}/deployments"),
        // The JSON forms: the streaming forms never end, and the environment has started no deployment, so no engine is asked.
        ["GET /api/v1/apps/{app}/environments/{env}/events"] = new(Expectation.TeamRead, (w, _) => $"/api/v1/apps/{w.App}/environments/{w.Environment}/events?format=json"),
        ["GET /api/v1/apps/{app}/environments/{env}/logs"] = new(Expectation.TeamRead, (w, _) => $"/api/v1/apps/{w.App}/environments/{w.Environment}/logs?tail=10"),
        ["GET /api/v1/deployments/{id:guid}"] = new(Expectation.TeamRead, (w, _) => $"/api/v1/deployments/{w.DeploymentId}"),
        ["POST /api/v1/deployments/{id:guid}/cancel"] = new(Expectation.TeamDeploy, (w, _) => $"/api/v1/deployments/{w.DeploymentId}/cancel"),
        ["POST /api/v1/deployments/{id:guid}/redeploy"] = new(Expectation.TeamDeploy, (w, _) => $"/api/v1/deployments/{w.DeploymentId}/redeploy",
            _ => new { reason = "roll back" }),

        ["GET /api/v1/apps/{app}/environments/{env}/workload"] = new(Expectation.TeamRead, (w, _) => $"/api/v1/apps/{w.App}/environments/{w.Environment}/workload"),
        // An empty body plans the environment's current workload again.
        ["POST /api/v1/apps/{app}/environments/{env}/plans"] = new(Expectation.TeamDeploy, (w, _) => $"/api/v1/apps/{w.App}/environments/{w.Environment}/plans",
            Prepare: (_, request) => request.Content = AccessWorld.EmptyWorkloadBody()),
        // The world's plan stored the app's revision 1.
        ["GET /api/v1/apps/{app}/workload/revisions"] = new(Expectation.TeamRead, (w, _) => $"/api/v1/apps/{w.App}/workload/revisions"),
        ["GET /api/v1/apps/{app}/workload/revisions/{revision:int}"] = new(Expectation.TeamRead, (w, _) => $"/api/v1/apps/{w.App}/workload/revisions/1"),
        ["GET /api/v1/apps/{app}/workload/revisions/{from:int}/diff/{to:int}"] = new(Expectation.TeamRead,
            (w, _) => $"/api/v1/apps/{w.App}/workload/revisions/1/diff/1"),
        ["GET /api/v1/apps/{app}/environments/{env}/workload/override"] = new(Expectation.TeamRead,
            (w, _) => $"/api/v1/apps/{w.App}/environments/{w.Environment}/workload/override"),
        // Changes the environment's settings through its own update: one audited change.
        ["PUT /api/v1/apps/{app}/environments/{env}/workload/override"] = new(Expectation.TeamManage,
            (w, _) => $"/api/v1/apps/{w.App}/environments/{w.Environment}/workload/override",
            Prepare: (_, request) => request.Content = AccessWorld.WorkloadBody("replicas: 2\n")),
        ["GET /api/v1/plans/{id:guid}"] = new(Expectation.TeamRead, (w, _) => $"/api/v1/plans/{w.PlanId}"),
        // Applying queues a deployment: the plan's application and the deployment are two audited changes.
        ["POST /api/v1/plans/{id:guid}/apply"] = new(Expectation.TeamDeploy, (w, _) => $"/api/v1/plans/{w.PlanId}/apply", AuditEvents: 2),

        ["POST /api/v1/teams/{team}/repositories"] = new(Expectation.TeamManage, (w, _) => $"/api/v1/teams/{w.Team}/repositories", w => new { url = w.RepositoryToRegister }),
        ["GET /api/v1/teams/{team}/repositories"] = new(Expectation.TeamRead, (w, _) => $"/api/v1/teams/{w.Team}/repositories"),
        ["DELETE /api/v1/teams/{team}/repositories/{id:guid}"] = new(Expectation.TeamManage, (w, _) => $"/api/v1/teams/{w.Team}/repositories/{w.RepositoryId}"),
        // The world's "git" environment follows its repository at the head: putting the same source again changes the source only.
        ["PUT /api/v1/apps/{app}/environments/{env}/source"] = new(Expectation.TeamManage, (w, _) => $"/api/v1/apps/{w.App}/environments/git/source",
            w => new { repository = w.FollowedRepository, @ref = "main", path = AccessGitServer.WorkloadPath, autoApply = false }),
        ["GET /api/v1/apps/{app}/environments/{env}/source"] = new(Expectation.TeamRead, (w, _) => $"/api/v1/apps/{w.App}/environments/git/source"),
        ["DELETE /api/v1/apps/{app}/environments/{env}/source"] = new(Expectation.TeamManage, (w, _) => $"/api/v1/apps/{w.App}/environments/git/source"),
        ["GET /api/v1/catalog"] = new(Expectation.AnyAuthenticated, (_, _) => "/api/v1/catalog"),
        ["GET /api/v1/catalog/{id}"] = new(Expectation.AnyAuthenticated, (_, _) => "/api/v1/catalog/uptime-kuma"),
        ["GET /api/v1/catalog/{id}/icon"] = new(Expectation.AnyAuthenticated, (_, _) => "/api/v1/catalog/uptime-kuma/icon"),
        // Installing makes the app (and its first revision), the environment and the plan, and records the install: five
        // audited changes. Another team's member names a team they cannot see: "unknown team", a field error. A deploy
        // token cannot make apps.
        ["POST /api/v1/catalog/{id}/install"] = new(Expectation.TeamManage with { OtherTeamMember = 422 }, (_, _) => "/api/v1/catalog/uptime-kuma/install",
            w => new { team = w.Team, app = $"k{Guid.NewGuid():N}"[..20], environment = "prod" }, AuditEvents: 5),
        ["GET /api/v1/apps/{app}/catalog"] = new(Expectation.TeamRead, (w, _) => $"/api/v1/apps/{w.App}/catalog"),
        ["GET /api/v1/catalog/{source}/{entry}"] = new(Expectation.AnyAuthenticated, (w, _) => $"/api/v1/catalog/{w.CatalogSource}/{AccessGitServer.CatalogEntryFolder}"),
        ["GET /api/v1/catalog/{source}/{entry}/icon"] = new(Expectation.AnyAuthenticated, (w, _) => $"/api/v1/catalog/{w.CatalogSource}/{AccessGitServer.CatalogEntryFolder}/icon"),
        ["POST /api/v1/catalog/{source}/{entry}/install"] = new(Expectation.TeamManage with { OtherTeamMember = 422 },
            (w, _) => $"/api/v1/catalog/{w.CatalogSource}/{AccessGitServer.CatalogEntryFolder}/install",
            w => new { team = w.Team, app = $"k{Guid.NewGuid():N}"[..20], environment = "prod" }, AuditEvents: 5),
        // Registering reads the git server's catalog repository for real.
        ["POST /api/v1/catalog/sources"] = new(Expectation.AdminOnly, (_, _) => "/api/v1/catalog/sources",
            w => new { name = $"s{Guid.NewGuid():N}"[..20], url = w.CatalogRepository, @ref = "main", path = AccessGitServer.CatalogPath }),
        ["GET /api/v1/catalog/sources"] = new(Expectation.AdminOnly, (_, _) => "/api/v1/catalog/sources"),
        ["DELETE /api/v1/catalog/sources/{name}"] = new(Expectation.AdminOnly, (w, _) => $"/api/v1/catalog/sources/{w.CatalogSource}"),

        ["POST /api/v1/tickets"] = new(Expectation.TeamDeploy with { OtherTeamMember = 400 }, (_, _) => "/api/v1/tickets", w => new { team = w.Team, key = "PAY-2", title = "Refunds" }),
        ["GET /api/v1/tickets/{key}"] = new(Expectation.TeamRead, (w, _) => $"/api/v1/tickets/{AccessWorld.TicketKey}?team={w.Team}"),
        ["POST /api/v1/teams/{team}/webhooks"] = new(Expectation.TeamManage, (w, _) => $"/api/v1/teams/{w.Team}/webhooks", _ => new { source = "github" }),
        ["GET /api/v1/teams/{team}/webhooks"] = new(Expectation.TeamRead, (w, _) => $"/api/v1/teams/{w.Team}/webhooks"),
        ["DELETE /api/v1/teams/{team}/webhooks/{id:guid}"] = new(Expectation.TeamManage, (w, _) => $"/api/v1/teams/{w.Team}/webhooks/{w.WebhookId}"),
        // Anonymous by design: the signature over the body is the credential, so every caller gets through when it is right.
        ["POST /api/v1/webhooks/{source}/{hookId:guid}"] = new(Expectation.Anonymous, (w, _) => $"/api/v1/webhooks/generic/{w.WebhookId}", Prepare: (w, request) =>
        {
            var body = System.Text.Encoding.UTF8.GetBytes("""{"tickets":[{"key":"PAY-3","title":"From the tracker"}]}""");
            request.Content = new ByteArrayContent(body);
            request.Headers.Add(Paddock.Portal.Features.Webhooks.WebhookReceiver.SignatureHeader, Paddock.Portal.Features.Webhooks.WebhookReceiver.Sign(w.WebhookSecret, body));
        }),
        ["GET /api/v1/teams/{team}/delivery"] = new(Expectation.TeamRead, (w, _) => $"/api/v1/teams/{w.Team}/delivery"),
        ["GET /api/v1/teams/{team}/delivery/settings"] = new(Expectation.TeamRead, (w, _) => $"/api/v1/teams/{w.Team}/delivery/settings"),
        ["PUT /api/v1/teams/{team}/delivery/settings"] = new(Expectation.TeamManage, (w, _) => $"/api/v1/teams/{w.Team}/delivery/settings", _ => new { leadTimeTargetHours = 6 }),

        ["GET /api/v1/audit"] = new(Expectation.AnyAuthenticated, (_, _) => "/api/v1/audit"),
        ["GET /api/v1/audit/verify"] = new(Expectation.AdminOnly, (_, _) => "/api/v1/audit/verify"),
    };
}
