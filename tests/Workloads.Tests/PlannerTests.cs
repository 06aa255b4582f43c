using System.Text.Json;
using Paddock.Workloads.Export;
using Paddock.Workloads.Overrides;
using Paddock.Workloads.Placeholders;
using Paddock.Workloads.Planning;
using static Paddock.Workloads.Tests.TestSupport;

namespace Paddock.Workloads.Tests;

public class PlannerTests
{
    private const string Shop = """
        apiVersion: score.dev/v1b1
        metadata:
          name: shop
        service:
          ports:
            http: { port: 80, targetPort: 8080 }
        containers:
          web:
            image: shop:1
            command: ["/shop"]
            args: ["--port", "8080"]
            variables:
              MODE: production
              PASSWORD: ${resources.env.PASSWORD}
              URL: ${resources.env.URL}
            resources:
              limits: { memory: 256Mi, cpu: 500m }
            livenessProbe:
              httpGet: { path: /healthz, port: 8080 }
          sidecar:
            image: proxy:1
        resources:
          env:
            type: environment
          db:
            type: postgres
            params: { version: "16" }
          cache:
            type: redis
        """;

    private static readonly EnvironmentValues Values = new(
        new Dictionary<string, string> { ["URL"] = "https://shop.example" },
        new Dictionary<string, string> { ["PASSWORD"] = "hunter2" });

    private static EffectiveWorkload Build(string text, EnvironmentValues? values = null, WorkloadOverride? environmentOverride = null)
    {
        var workload = LoadValid(text);
        return Effective(workload, environmentOverride, EveryOutput(workload, values ?? Values));
    }

    [Fact]
    public void Planning_a_workload_against_nothing_adds_everything()
    {
        var plan = WorkloadPlanner.Plan(null, Build(Shop));

        Assert.Equal("Plan: 5 to add, 0 to change, 0 to destroy", plan.Summary);
        Assert.All(plan.Containers, c => Assert.Equal(PlanAction.Create, c.Action));
        Assert.All(plan.Resources, r => Assert.Equal(PlanAction.Create, r.Action));
        Assert.False(plan.LosesData);
    }

    [Fact]
    public void Planning_a_workload_against_itself_changes_nothing()
    {
        var plan = WorkloadPlanner.Plan(Build(Shop), Build(Shop));

        Assert.True(plan.IsEmpty);
        Assert.Empty(plan.Containers);
        Assert.Empty(plan.WorkloadChanges);
        Assert.All(plan.Resources, r => Assert.Equal(PlanAction.Keep, r.Action));
        Assert.Equal("Plan: 0 to add, 0 to change, 0 to destroy", plan.Summary);
    }

    [Fact]
    public void The_summary_counts_adds_changes_and_destroys_like_terraform()
    {
        var next = Shop
            .Replace("image: shop:1", "image: shop:2")
            .Replace("  sidecar:\n    image: proxy:1\n", "  sidecar:\n    image: proxy:1\n  worker:\n    image: shop-worker:1\n");

        var plan = WorkloadPlanner.Plan(Build(Shop), Build(next, environmentOverride: new WorkloadOverride(3, new Dictionary<string, ContainerOverride>())));

        Assert.Equal("Plan: 1 to add, 2 to change, 0 to destroy", plan.Summary);
        Assert.Equal(new FieldChange("replicas", "1", "3"), Assert.Single(plan.WorkloadChanges));
    }

    [Fact]
    public void A_container_change_lists_each_field_with_before_and_after()
    {
        var next = Shop
            .Replace("image: shop:1", "image: shop:2")
            .Replace("command: [\"/shop\"]", "command: [\"/shop\", \"serve\"]")
            .Replace("args: [\"--port\", \"8080\"]", "args: [\"--port\", \"9090\"]")
            .Replace("memory: 256Mi", "memory: 512Mi")
            .Replace("path: /healthz", "path: /livez");

        var web = Assert.Single(WorkloadPlanner.Plan(Build(Shop), Build(next)).Containers);

        Assert.Equal(("web", PlanAction.Update), (web.Name, web.Action));
        Assert.Equal(
        [
            new FieldChange("image", "shop:1", "shop:2"),
            new FieldChange("command", "[\"/shop\"]", "[\"/shop\",\"serve\"]"),
            new FieldChange("args", "[\"--port\",\"8080\"]", "[\"--port\",\"9090\"]"),
            new FieldChange("livenessProbe", "{\"httpGet\":{\"path\":\"/healthz\",\"port\":8080}}", "{\"httpGet\":{\"path\":\"/livez\",\"port\":8080}}"),
            new FieldChange("resources.limits", "{\"cpu\":\"500m\",\"memory\":\"256Mi\"}", "{\"cpu\":\"500m\",\"memory\":\"512Mi\"}"),
        ], web.Changes);
        Assert.Empty(web.Variables);
    }

    [Fact]
    public void Variables_added_removed_and_changed_show_before_and_after()
    {
        var next = Shop
            .Replace("MODE: production", "MODE: staging\n      NEW: one");

        var web = Assert.Single(WorkloadPlanner.Plan(Build(Shop), Build(next, values: Values with
        {
            Variables = new Dictionary<string, string> { ["URL"] = "https://staging.shop.example" },
        })).Containers);

        Assert.Equal(
        [
            new VariableChange("MODE", VariableChangeKind.Changed, false, "production", "staging"),
            new VariableChange("NEW", VariableChangeKind.Added, false, null, "one"),
            new VariableChange("URL", VariableChangeKind.Changed, false, "https://shop.example", "https://staging.shop.example"),
        ], web.Variables);
    }

    [Fact]
    public void A_changed_secret_shows_only_that_it_changed()
    {
        var rotated = Values with { Secrets = new Dictionary<string, string> { ["PASSWORD"] = "correct-horse" } };

        var plan = WorkloadPlanner.Plan(Build(Shop), Build(Shop, rotated));

        var change = Assert.Single(Assert.Single(plan.Containers).Variables);
        Assert.Equal(new VariableChange("PASSWORD", VariableChangeKind.Changed, true, null, null), change);
        Assert.Equal("Plan: 0 to add, 1 to change, 0 to destroy", plan.Summary);
        var json = JsonSerializer.Serialize(plan);
        Assert.DoesNotContain("hunter2", json);
        Assert.DoesNotContain("correct-horse", json);
    }

    [Fact]
    public void A_file_that_takes_a_secret_shows_its_mode_and_whether_its_content_changed_never_the_content()
    {
        var withFile = Shop.Replace("      URL: ${resources.env.URL}\n",
            "      URL: ${resources.env.URL}\n    files:\n      /etc/shop/db.conf:\n        mode: \"0600\"\n        content: \"password=${resources.env.PASSWORD}\"\n");
        var rotated = Values with { Secrets = new Dictionary<string, string> { ["PASSWORD"] = "correct-horse" } };

        var added = WorkloadPlanner.Plan(Build(Shop), Build(withFile));
        var unchanged = WorkloadPlanner.Plan(Build(withFile), Build(withFile));
        var changed = WorkloadPlanner.Plan(Build(withFile), Build(withFile.Replace("0600", "0640"), rotated));

        Assert.Equal(new FieldChange("files./etc/shop/db.conf", null, "{\"content\":\"(secret content)\",\"mode\":\"0600\"}"),
            Assert.Single(Assert.Single(added.Containers).Changes));
        Assert.Empty(unchanged.Containers);
        Assert.Equal(new FieldChange("files./etc/shop/db.conf", "{\"content\":\"(secret content)\",\"mode\":\"0600\"}",
                "{\"content\":\"(secret content, changed)\",\"mode\":\"0640\"}"),
            Assert.Single(Assert.Single(changed.Containers).Changes));
        var text = JsonSerializer.Serialize(new[] { added, changed }) + PlanText.Render(added) + PlanText.Render(changed);
        Assert.DoesNotContain("hunter2", text);
        Assert.DoesNotContain("correct-horse", text);
    }

    [Fact]
    public void A_variable_that_becomes_secret_shows_no_values()
    {
        var next = Shop.Replace("MODE: production", "MODE: ${resources.env.PASSWORD}");

        var change = Assert.Single(Assert.Single(WorkloadPlanner.Plan(Build(Shop), Build(next)).Containers).Variables);

        Assert.Equal(new VariableChange("MODE", VariableChangeKind.Changed, true, null, null), change);
    }

    [Fact]
    public void An_unchanged_secret_is_not_a_change()
    {
        var plan = WorkloadPlanner.Plan(Build(Shop), Build(Shop, Values with { Secrets = new Dictionary<string, string> { ["PASSWORD"] = "hunter2" } }));

        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void Removing_a_container_destroys_it()
    {
        var next = Shop.Replace("  sidecar:\n    image: proxy:1\n", "");

        var plan = WorkloadPlanner.Plan(Build(Shop), Build(next));

        Assert.Equal(("sidecar", PlanAction.Delete), (Assert.Single(plan.Containers).Name, plan.Containers[0].Action));
        Assert.Equal("Plan: 0 to add, 0 to change, 1 to destroy", plan.Summary);
    }

    [Fact]
    public void Removing_a_stateful_resource_deletes_it_with_data_loss()
    {
        var next = Shop.Replace("  db:\n    type: postgres\n    params: { version: \"16\" }\n", "").Replace("  env:\n    type: environment\n", "")
            .Replace("${resources.env.PASSWORD}", "x").Replace("${resources.env.URL}", "y");

        var plan = WorkloadPlanner.Plan(Build(Shop), Build(next));

        var db = plan.Resources.Single(r => r.Name == "db");
        var env = plan.Resources.Single(r => r.Name == "env");
        Assert.Equal((PlanAction.Delete, true), (db.Action, db.DataLoss));
        Assert.Equal((PlanAction.Delete, false), (env.Action, env.DataLoss));
        Assert.Equal(PlanAction.Keep, plan.Resources.Single(r => r.Name == "cache").Action);
        Assert.True(plan.LosesData);
        Assert.Equal("Plan: 0 to add, 1 to change, 2 to destroy", plan.Summary);
    }

    [Fact]
    public void Changing_a_resources_params_updates_it_and_its_class_replaces_it()
    {
        var next = Shop.Replace("version: \"16\"", "version: \"17\"").Replace("    type: redis", "    type: redis\n    class: large");

        var plan = WorkloadPlanner.Plan(Build(Shop), Build(next));

        var db = plan.Resources.Single(r => r.Name == "db");
        Assert.Equal((PlanAction.Update, false), (db.Action, db.DataLoss));
        Assert.Equal(new FieldChange("params", "{\"version\":\"16\"}", "{\"version\":\"17\"}"), Assert.Single(db.Changes));
        var cache = plan.Resources.Single(r => r.Name == "cache");
        Assert.Equal((PlanAction.Replace, true), (cache.Action, cache.DataLoss));
        Assert.Equal(new FieldChange("class", null, "large"), Assert.Single(cache.Changes));
        Assert.Equal("Plan: 1 to add, 1 to change, 1 to destroy", plan.Summary);
    }

    [Fact]
    public void Which_types_lose_data_is_an_input()
    {
        var next = Shop.Replace("\n  cache:\n    type: redis", "");
        Assert.NotEqual(Shop, next);

        var plan = WorkloadPlanner.Plan(Build(Shop), Build(next), new PlanOptions(new HashSet<string> { "postgres" }));

        Assert.False(plan.Resources.Single(r => r.Name == "cache").DataLoss);
    }

    [Fact]
    public void A_changed_service_port_is_a_change_of_the_workload()
    {
        var plan = WorkloadPlanner.Plan(Build(Shop), Build(Shop.Replace("targetPort: 8080", "targetPort: 9090")));

        Assert.Equal(
            new FieldChange("service.ports.http", "{\"port\":80,\"targetPort\":8080}", "{\"port\":80,\"targetPort\":9090}"),
            Assert.Single(plan.WorkloadChanges));
        Assert.Equal("Plan: 0 to add, 1 to change, 0 to destroy", plan.Summary);
    }

    [Fact]
    public void The_content_hash_is_stable_and_follows_the_content()
    {
        var reordered = LoadValid("""
            resources:
              cache: { type: redis }
              db: { params: { version: "16" }, type: postgres }
              env: { type: environment }
            containers:
              sidecar: { image: "proxy:1" }
              web:
                livenessProbe: { httpGet: { port: 8080, path: /healthz } }
                resources: { limits: { cpu: 500m, memory: 256Mi } }
                variables: { URL: "${resources.env.URL}", PASSWORD: "${resources.env.PASSWORD}", MODE: production }
                args: ["--port", "8080"]
                command: ["/shop"]
                image: shop:1
            service: { ports: { http: { targetPort: 8080, port: 80 } } }
            metadata: { name: shop }
            apiVersion: score.dev/v1b1
            """);

        var hash = CanonicalWorkload.ContentHash(LoadValid(Shop));

        Assert.Matches("^sha256:[0-9a-f]{64}$", hash);
        Assert.Equal(hash, CanonicalWorkload.ContentHash(reordered));
        Assert.Equal(hash, WorkloadPlanner.Plan(null, Build(Shop)).ContentHash);
        Assert.NotEqual(hash, CanonicalWorkload.ContentHash(LoadValid(Shop.Replace("shop:1", "shop:2"))));
    }
}

public class KnownAfterApplyTests
{
    private const string Text = """
        apiVersion: score.dev/v1b1
        metadata:
          name: shop
        containers:
          web:
            image: shop:1
            variables:
              DB_HOST: ${resources.db.host}
              DB_URL: postgres://app:${resources.env.PASSWORD}@${resources.db.host}/shop
        resources:
          env:
            type: environment
          db:
            type: postgres
        """;

    private static readonly EnvironmentValues Values =
        new(new Dictionary<string, string>(), new Dictionary<string, string> { ["PASSWORD"] = "hunter2" });

    [Fact]
    public void Outputs_of_a_resource_not_provisioned_yet_are_known_after_apply_when_planning()
    {
        var workload = LoadValid(Text);
        var outputs = ResourceOutputs.For(workload, Values, unprovisionedAreKnownAfterApply: true);

        var next = EffectiveWorkload.Build(workload, WorkloadOverride.None, outputs).Effective!;
        var plan = WorkloadPlanner.Plan(null, next);

        var variables = next.Resolved.Containers["web"].Variables;
        Assert.Equal(ConfigValue.Pending("${resources.db.host}"), variables["DB_HOST"]);
        Assert.Equal((true, false), (variables["DB_URL"].IsSecret, variables["DB_URL"].IsKnown));
        Assert.Equal(ConfigValue.KnownAfterApply, variables["DB_HOST"].ToString());
        Assert.Equal(
            [
                new VariableChange("DB_HOST", VariableChangeKind.Added, false, null, ConfigValue.KnownAfterApply),
                new VariableChange("DB_URL", VariableChangeKind.Added, true, null, null),
            ],
            Assert.Single(plan.Containers).Variables);
    }

    [Fact]
    public void Outside_planning_a_resource_without_outputs_is_an_error()
    {
        var workload = LoadValid(Text);

        var result = EffectiveWorkload.Build(workload, WorkloadOverride.None, ResourceOutputs.For(workload, Values));

        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.Contains("resource \"db\" (postgres) has no outputs yet", e.Message));
    }

    [Fact]
    public void Once_provisioned_the_same_workload_plans_empty()
    {
        var workload = LoadValid(Text);
        var provisioned = new Dictionary<string, IReadOnlyDictionary<string, ConfigValue>>
        {
            ["db"] = new Dictionary<string, ConfigValue> { ["host"] = ConfigValue.Plain("db.internal") },
        };
        EffectiveWorkload Build() => EffectiveWorkload.Build(workload, WorkloadOverride.None,
            ResourceOutputs.For(workload, Values, provisioned, unprovisionedAreKnownAfterApply: true)).Effective!;

        Assert.True(WorkloadPlanner.Plan(Build(), Build()).IsEmpty);
        Assert.Equal(ConfigValue.Plain("db.internal"), Build().Resolved.Containers["web"].Variables["DB_HOST"]);
    }
}

public class PlanTextTests
{
    [Fact]
    public void A_plan_reads_like_terraform_plan_and_never_shows_a_secret()
    {
        const string before = """
            apiVersion: score.dev/v1b1
            metadata: { name: shop }
            containers:
              web:
                image: shop:1
                variables: { MODE: production, OLD: x, PASSWORD: "${resources.env.PASSWORD}" }
              sidecar:
                image: proxy:1
            resources:
              env: { type: environment }
              cache: { type: redis }
            """;
        const string after = """
            apiVersion: score.dev/v1b1
            metadata: { name: shop }
            containers:
              web:
                image: shop:2
                variables: { MODE: staging, PASSWORD: "${resources.env.PASSWORD}" }
              worker:
                image: worker:1
            resources:
              env: { type: environment }
              cache: { type: redis, class: large }
            """;
        EffectiveWorkload Build(string text, string password)
        {
            var workload = LoadValid(text);
            return Effective(workload, null, ResourceOutputs.For(workload,
                new EnvironmentValues(new Dictionary<string, string>(), new Dictionary<string, string> { ["PASSWORD"] = password })));
        }

        var text = PlanText.Render(WorkloadPlanner.Plan(Build(before, "old-secret"), Build(after, "new-secret")));

        Assert.Equal("""
              - container sidecar
              ~ container web
                  ~ image: shop:1 → shop:2
                  ~ variable MODE: production → staging
                  - variable OLD (was x)
                  ~ variable PASSWORD (secret, changed)
              + container worker
                  + image: worker:1
              -/+ resource cache (redis): its data is lost
                  + class: large

            Plan: 2 to add, 1 to change, 2 to destroy

            """.Replace("\r\n", "\n"), text.Replace("\r\n", "\n"));
        Assert.DoesNotContain("old-secret", text);
        Assert.DoesNotContain("new-secret", text);
    }
}
