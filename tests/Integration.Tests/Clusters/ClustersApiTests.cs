using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paddock.Integration.Tests.Applications;
using Paddock.Integration.Tests.Infrastructure;

namespace Paddock.Integration.Tests.Clusters;

public sealed class ClustersApiTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private static string Token() => $"tok-{Guid.NewGuid():N}";

    private async Task<(JsonElement Cluster, string ETag)> RegisterAsync(string name, object? extra = null, string? kubeconfig = null)
    {
        var body = new Dictionary<string, object?> { ["name"] = name, ["kubeconfig"] = kubeconfig ?? Kubeconfigs.Unreachable(Token()) };
        if (extra is not null)
            foreach (var property in JsonSerializer.SerializeToElement(extra).EnumerateObject()) body[property.Name] = property.Value;
        var response = await portal.AdminClient().PostAsJsonAsync("/api/v1/clusters", body);
        await Api.EnsureAsync(response, HttpStatusCode.Created);
        return (await response.JsonAsync(), response.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task A_registered_cluster_is_listed_as_a_kubernetes_backend_with_why_it_is_unreachable()
    {
        var name = Unique.Name("prod");
        var admin = portal.AdminClient();

        var created = await admin.PostAsJsonAsync("/api/v1/clusters", new
        {
            name, kubeconfig = Kubeconfigs.Unreachable(Token()), ingressHostPattern = "{env}-{app}.apps.example.com", ingressClass = "nginx", storageClass = "fast-ssd",
        });

        await Api.EnsureAsync(created, HttpStatusCode.Created);
        Assert.Equal($"/api/v1/clusters/{name}", created.Headers.Location?.ToString());
        Assert.NotNull(created.Headers.ETag);
        var cluster = await created.JsonAsync();
        Assert.Equal("kubernetes", cluster.GetProperty("kind").GetString());
        Assert.True(cluster.GetProperty("hasKubeconfig").GetBoolean());
        Assert.Equal(Kubeconfigs.UnreachableServer, cluster.GetProperty("server").GetString());
        Assert.Equal("paddock", cluster.GetProperty("context").GetString());
        Assert.Equal("{env}-{app}.apps.example.com", cluster.GetProperty("ingressHostPattern").GetString());
        Assert.False(cluster.GetProperty("reachable").GetBoolean());
        Assert.Contains("127.0.0.1:1", cluster.GetProperty("reason").GetString());

        var one = await (await admin.GetAsync($"/api/v1/clusters/{name}")).JsonAsync();
        Assert.Equal("nginx", one.GetProperty("ingressClass").GetString());
        Assert.Equal("fast-ssd", one.GetProperty("storageClass").GetString());
        var list = (await (await admin.GetAsync("/api/v1/clusters")).JsonAsync()).EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
        Assert.Contains(name, list);
        var backends = (await (await admin.GetAsync("/api/v1/backends")).JsonAsync()).EnumerateArray().ToDictionary(b => b.GetProperty("name").GetString()!);
        Assert.Equal("kubernetes", backends[name].GetProperty("kind").GetString());
        Assert.False(backends[name].GetProperty("reachable").GetBoolean());
        Assert.Contains("docker", backends.Keys);
    }

    [Fact]
    public async Task Kubeconfig_and_registry_password_are_stored_encrypted_and_never_returned_or_audited()
    {
        var name = Unique.Name("sec");
        var (token, newToken, password) = (Token(), Token(), $"pw-{Guid.NewGuid():N}");
        var admin = portal.AdminClient();
        var bodies = new List<string>();

        var (register, registerId) = await admin.CallAsync(HttpMethod.Post, "/api/v1/clusters", new
        {
            name, kubeconfig = Kubeconfigs.Unreachable(token),
            pullCredentials = new { server = "registry.example.com", username = "puller", password },
        });
        await Api.EnsureAsync(register, HttpStatusCode.Created);
        bodies.Add(await register.Content.ReadAsStringAsync());
        var (patch, patchId) = await admin.CallAsync(HttpMethod.Patch, $"/api/v1/clusters/{name}", new { kubeconfig = Kubeconfigs.Unreachable(newToken, server: "https://127.0.0.1:2") });
        await Api.EnsureAsync(patch, HttpStatusCode.OK);
        bodies.Add(await patch.Content.ReadAsStringAsync());
        bodies.Add(await admin.GetStringAsync($"/api/v1/clusters/{name}"));
        bodies.Add(await admin.GetStringAsync("/api/v1/clusters"));

        var patched = JsonDocument.Parse(bodies[1]).RootElement;
        Assert.Equal("https://127.0.0.1:2", patched.GetProperty("server").GetString());
        var pull = patched.GetProperty("pullCredentials");
        Assert.Equal("puller", pull.GetProperty("username").GetString());
        Assert.True(pull.GetProperty("hasPassword").GetBoolean());
        Assert.False(patched.TryGetProperty("kubeconfig", out _));

        var stored = await portal.RawTableTextAsync("clusters");
        var audit = await portal.RawTableTextAsync("audit_events");
        Assert.Contains(name, stored);
        Assert.Contains(name, audit);
        foreach (var secret in new[] { token, newToken, password, "current-context" })
        {
            Assert.DoesNotContain(secret, stored);
            Assert.DoesNotContain(secret, audit);
            Assert.All(bodies, body => Assert.DoesNotContain(secret, body));
        }

        var registered = Assert.Single(portal.AuditOf(registerId));
        Assert.Equal("cluster.registered", registered.Action);
        Assert.Equal("cluster", registered.TargetType);
        var updated = Assert.Single(portal.AuditOf(patchId));
        Assert.Equal("cluster.updated", updated.Action);
        Assert.Contains("kubeconfig", updated.After);
        Assert.Contains("127.0.0.1:2", updated.After);
    }

    [Theory]
    [InlineData("not yaml", "kubeconfig", "Not a kubeconfig document")]
    [InlineData("no-current-context", "kubeconfig", "no current-context")]
    [InlineData("no-server", "kubeconfig", "has no server")]
    [InlineData("exec-plugin", "kubeconfig", "exec credential plugins")]
    [InlineData("neither", "kubeconfig", "Required unless inCluster")]
    [InlineData("both", "kubeconfig", "not both")]
    [InlineData("bad-name", "name", "lowercase letters")]
    [InlineData("pattern-without-app", "ingressHostPattern", "{env} and {app}")]
    [InlineData("bad-ingress-class", "ingressClass", "Kubernetes object name")]
    [InlineData("pull-without-password", "pullCredentials.password", "Required")]
    [InlineData("bad-controller-namespace", "ingressControllerNamespace", "Kubernetes namespace name")]
    [InlineData("bad-default-quota", "defaultQuota", "pods must be between")]
    public async Task An_unusable_registration_is_refused_with_a_field_error(string problem, string field, string expected)
    {
        var kubeconfig = Kubeconfigs.Unreachable();
        var body = new Dictionary<string, object?> { ["name"] = Unique.Name("bad"), ["kubeconfig"] = kubeconfig };
        switch (problem)
        {
            case "not yaml": body["kubeconfig"] = "::: this is { not [ yaml"; break;
            case "no-current-context": body["kubeconfig"] = Kubeconfigs.WithoutCurrentContext(); break;
            case "no-server": body["kubeconfig"] = Kubeconfigs.WithoutServer(); break;
            case "exec-plugin": body["kubeconfig"] = Kubeconfigs.WithExecPlugin(); break;
            case "neither": body.Remove("kubeconfig"); break;
            case "both": body["inCluster"] = true; break;
            case "bad-name": body["name"] = "Prod_Cluster"; break;
            case "pattern-without-app": body["ingressHostPattern"] = "{env}.apps.example.com"; break;
            case "bad-ingress-class": body["ingressClass"] = "Nginx Class"; break;
            case "pull-without-password": body["pullCredentials"] = new { server = "registry.example.com", username = "u" }; break;
            case "bad-controller-namespace": body["ingressControllerNamespace"] = "Ingress_Nginx"; break;
            case "bad-default-quota": body["defaultQuota"] = new { pods = 0 }; break;
        }
        var before = portal.AuditCount();

        var response = await portal.AdminClient().PostAsJsonAsync("/api/v1/clusters", body);

        await Api.EnsureAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Equal([field], errors.EnumerateObject().Select(e => e.Name));
        Assert.Contains(expected, errors.GetProperty(field)[0].GetString());
        Assert.Equal(before, portal.AuditCount());
    }

    [Fact]
    public async Task A_name_another_backend_or_cluster_has_is_a_conflict()
    {
        var name = Unique.Name("dup");
        await RegisterAsync(name);
        var admin = portal.AdminClient();

        var configured = await admin.PostAsJsonAsync("/api/v1/clusters", new { name = "docker", kubeconfig = Kubeconfigs.Unreachable() });
        var registered = await admin.PostAsJsonAsync("/api/v1/clusters", new { name, kubeconfig = Kubeconfigs.Unreachable() });

        await Api.EnsureAsync(configured, HttpStatusCode.Conflict);
        Assert.Contains("configured backend", (await configured.JsonAsync()).GetProperty("detail").GetString());
        await Api.EnsureAsync(registered, HttpStatusCode.Conflict);
        Assert.Contains("already registered", (await registered.JsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_environment_can_run_on_a_registered_cluster_which_then_cannot_be_deleted()
    {
        var cluster = Unique.Name("k8s");
        var (_, etag) = await RegisterAsync(cluster);
        var admin = portal.AdminClient();
        var (team, app) = (Unique.Name("team"), Unique.Name("app"));
        await Api.EnsureAsync(await admin.PostAsJsonAsync("/api/v1/teams", new { name = team }), HttpStatusCode.Created);
        await Api.EnsureAsync(await admin.PostAsJsonAsync("/api/v1/apps", new { name = app, team, image = "localhost/paddock-demo:1", port = 8080 }), HttpStatusCode.Created);

        var environment = await admin.PostAsJsonAsync($"/api/v1/apps/{app}/environments", new { name = "prod", stage = "Production", backend = cluster });
        await Api.EnsureAsync(environment, HttpStatusCode.Created);
        Assert.Equal(cluster, (await environment.JsonAsync()).GetProperty("backend").GetString());

        var before = portal.AuditCount();
        var (refused, _) = await admin.CallAsync(HttpMethod.Delete, $"/api/v1/clusters/{cluster}", ifMatch: etag);
        await Api.EnsureAsync(refused, HttpStatusCode.Conflict);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"{app}/prod", (await refused.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(before, portal.AuditCount());
        await Api.EnsureAsync(await admin.GetAsync($"/api/v1/clusters/{cluster}"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_unused_cluster_is_deleted_with_its_etag_and_leaves_the_backends()
    {
        var name = Unique.Name("gone");
        var (_, etag) = await RegisterAsync(name);
        var admin = portal.AdminClient();
        await Api.EnsureAsync((await admin.CallAsync(HttpMethod.Patch, $"/api/v1/clusters/{name}", new { ingressClass = "traefik" })).Response, HttpStatusCode.OK);

        var (stale, _) = await admin.CallAsync(HttpMethod.Delete, $"/api/v1/clusters/{name}", ifMatch: etag);
        await Api.EnsureAsync(stale, HttpStatusCode.PreconditionFailed);
        var current = (await admin.GetAsync($"/api/v1/clusters/{name}")).Headers.ETag!.Tag;
        var (deleted, deleteId) = await admin.CallAsync(HttpMethod.Delete, $"/api/v1/clusters/{name}", ifMatch: current);

        await Api.EnsureAsync(deleted, HttpStatusCode.OK);
        Assert.Equal("cluster.deleted", Assert.Single(portal.AuditOf(deleteId)).Action);
        await Api.EnsureAsync(await admin.GetAsync($"/api/v1/clusters/{name}"), HttpStatusCode.NotFound);
        var backends = (await (await admin.GetAsync("/api/v1/backends")).JsonAsync()).EnumerateArray().Select(b => b.GetProperty("name").GetString());
        Assert.DoesNotContain(name, backends);
        var row = await portal.WithDbAsync(db => db.Clusters.AsNoTracking().SingleAsync(c => c.Name == Domain.Clusters.ClusterName.FromTrusted(name)));
        Assert.NotNull(row.DeletedAt);
        Assert.Null(row.ProtectedKubeconfig);
        // The name is free again.
        await RegisterAsync(name);
    }

    [Fact]
    public async Task The_ingress_controller_namespace_and_default_quota_reach_the_clusters_backend_and_a_patch_removes_them()
    {
        var plain = Unique.Name("plain");
        var (defaults, _) = await RegisterAsync(plain);
        Assert.Equal("ingress-nginx", defaults.GetProperty("ingressControllerNamespace").GetString());
        Assert.False(defaults.TryGetProperty("defaultQuota", out _));

        var name = Unique.Name("quota");
        var (cluster, etag) = await RegisterAsync(name, new { ingressControllerNamespace = "kube-system", defaultQuota = new { cpuMillicores = 500, pods = 4 } });
        Assert.Equal("kube-system", cluster.GetProperty("ingressControllerNamespace").GetString());
        Assert.Equal(500, cluster.GetProperty("defaultQuota").GetProperty("cpuMillicores").GetInt32());
        var options = await OptionsAsync(name);
        Assert.Equal("kube-system", options.IngressControllerNamespace);
        Assert.Equal(new Domain.Teams.EnvironmentQuota(500, null, 4), options.DefaultQuota!.ToQuota());

        var (patch, patchId) = await portal.AdminClient().CallAsync(HttpMethod.Patch, $"/api/v1/clusters/{name}",
            new { ingressControllerNamespace = "", defaultQuota = (object?)null }, etag);
        await Api.EnsureAsync(patch, HttpStatusCode.OK);
        var patched = await patch.JsonAsync();
        // The API leaves out what is not set.
        Assert.False(patched.TryGetProperty("ingressControllerNamespace", out _));
        Assert.False(patched.TryGetProperty("defaultQuota", out _));
        options = await OptionsAsync(name);
        Assert.Null(options.IngressControllerNamespace);
        Assert.Null(options.DefaultQuota);
        var audit = Assert.Single(portal.AuditOf(patchId));
        Assert.Contains("kube-system", audit.Before);
        Assert.DoesNotContain("kube-system", audit.After);
    }

    /// <summary>What every process's registry builds the cluster's backend from.</summary>
    private async Task<Paddock.Backends.Kubernetes.KubernetesBackendOptions> OptionsAsync(string name)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Persistence.PaddockDbContext>();
        var row = await db.Clusters.AsNoTracking().SingleAsync(c => c.DeletedAt == null && c.Name == Domain.Clusters.ClusterName.FromTrusted(name));
        return Runtime.Clusters.RegisteredClusters.OptionsFor(row, scope.ServiceProvider.GetRequiredService<Persistence.Secrets.SecretProtector>());
    }

    [Fact]
    public async Task A_patch_validates_like_a_registration_and_switches_to_in_cluster_credentials()
    {
        var name = Unique.Name("pat");
        var (_, etag) = await RegisterAsync(name);
        var admin = portal.AdminClient();

        var bad = (await admin.CallAsync(HttpMethod.Patch, $"/api/v1/clusters/{name}", new { kubeconfig = "::: nope [" }, etag)).Response;
        Assert.Equal(["kubeconfig"], await Api.ErrorKeysAsync(bad));
        var rename = (await admin.CallAsync(HttpMethod.Patch, $"/api/v1/clusters/{name}", new { name = "other" }, etag)).Response;
        Assert.Equal(["name"], await Api.ErrorKeysAsync(rename));
        var unknown = (await admin.CallAsync(HttpMethod.Patch, $"/api/v1/clusters/{name}", new { kubeconfigg = "x" }, etag)).Response;
        Assert.Equal(["kubeconfigg"], await Api.ErrorKeysAsync(unknown));

        var inCluster = (await admin.CallAsync(HttpMethod.Patch, $"/api/v1/clusters/{name}", new { inCluster = true }, etag)).Response;
        await Api.EnsureAsync(inCluster, HttpStatusCode.OK);
        var view = await inCluster.JsonAsync();
        Assert.True(view.GetProperty("inCluster").GetBoolean());
        Assert.False(view.GetProperty("hasKubeconfig").GetBoolean());
        // Outside a cluster the service account is missing: still listed, unreachable, with the reason.
        Assert.False(view.GetProperty("reachable").GetBoolean());
        Assert.False(string.IsNullOrEmpty(view.GetProperty("reason").GetString()));

        var stale = (await admin.CallAsync(HttpMethod.Patch, $"/api/v1/clusters/{name}", new { ingressClass = "nginx" }, etag)).Response;
        await Api.EnsureAsync(stale, HttpStatusCode.PreconditionFailed);
        var back = (await admin.CallAsync(HttpMethod.Patch, $"/api/v1/clusters/{name}", new { inCluster = false }, inCluster.Headers.ETag!.Tag)).Response;
        Assert.Equal(["kubeconfig"], await Api.ErrorKeysAsync(back));
    }
}
