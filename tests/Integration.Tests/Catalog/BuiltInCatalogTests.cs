using Paddock.Portal.Features.Catalog;
using Paddock.Portal.Features.Workloads;
using Paddock.Workloads;
using Paddock.Workloads.Validation;

namespace Paddock.Integration.Tests.Catalog;

/// <summary>Every entry of the built-in catalog (the repo's <c>catalog/</c> folder) loads, and its workload, filled
/// with its defaults, is accepted by the Score validator and by Paddock's projection of a workload onto an app.</summary>
public sealed class BuiltInCatalogTests
{
    private static readonly WorkloadRules Provisionable = new(new HashSet<string>(StringComparer.Ordinal) { "environment", "postgres", "redis" });

    public static string Folder
    {
        get
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Platform.sln"))) root = root.Parent;
            return Path.Combine(root?.FullName ?? throw new InvalidOperationException("No Platform.sln above the tests."), "catalog");
        }
    }

    public static TheoryData<string> EntryIds()
    {
        var ids = new TheoryData<string>();
        foreach (var entry in CatalogLoader.Load(Folder).Entries) ids.Add(entry.Id);
        return ids;
    }

    [Fact]
    public void The_built_in_catalog_loads_without_problems_and_has_at_least_six_real_entries()
    {
        var catalog = CatalogLoader.Load(Folder);

        Assert.Empty(catalog.Problems);
        Assert.Superset(new HashSet<string> { "mediawiki", "wordpress", "gitea", "grafana", "uptime-kuma", "n8n" }, catalog.Entries.Select(e => e.Id).ToHashSet());
        Assert.All(catalog.Entries, e => Assert.All(e.Images.Values, image => Assert.DoesNotContain("localhost/", image)));
    }

    [Fact]
    public void The_catalog_is_published_with_the_portal()
    {
        var published = CatalogLoader.Load(Path.Combine(AppContext.BaseDirectory, "catalog"));

        Assert.Empty(published.Problems);
        Assert.Equal(CatalogLoader.Load(Folder).Entries.Select(e => e.Id), published.Entries.Select(e => e.Id));
    }

    [Theory]
    [MemberData(nameof(EntryIds))]
    public void An_entry_filled_with_its_defaults_is_a_valid_workload_Paddock_can_run(string id)
    {
        var entry = CatalogLoader.Load(Folder).Entries.Single(e => e.Id == id);
        var values = CatalogParameters.Resolve(entry, null, null, new Paddock.Portal.Api.FieldErrors());

        AssertRuns(entry, CatalogTemplate.Render(entry, values));
    }

    [Theory]
    [MemberData(nameof(EntryIds))]
    public void A_value_full_of_YAML_and_placeholder_characters_stays_one_value(string id)
    {
        var entry = CatalogLoader.Load(Folder).Entries.Single(e => e.Id == id);
        const string nasty = "a\"b: c #d \\ ${resources.db.password} 'e'";
        var values = entry.Parameters.Where(p => !p.GeneratesSecret).ToDictionary(p => p.Id, _ => nasty);

        var workload = AssertRuns(entry, CatalogTemplate.Render(entry, values));

        var variables = workload.Containers.Values.SelectMany(c => c.Variables.Values).ToList();
        // $ is doubled so that Score reads it as a plain dollar, never as a placeholder.
        Assert.All(values.Keys, _ => Assert.Contains(nasty.Replace("$", "$$"), variables));
    }

    [Fact]
    public void A_configured_image_replaces_the_entrys_own()
    {
        var catalog = CatalogLoader.Load(Folder, new Dictionary<string, string> { ["mediawiki:wiki"] = "localhost/paddock-mediawiki:1.39" });
        var entry = catalog.Entries.Single(e => e.Id == "mediawiki");

        var text = CatalogTemplate.Render(entry, CatalogParameters.Resolve(entry, null, null, new Paddock.Portal.Api.FieldErrors()));

        Assert.Contains("image: \"localhost/paddock-mediawiki:1.39\"", text);
        Assert.Equal("docker.io/grafana/grafana:11.2.2", catalog.Entries.Single(e => e.Id == "grafana").Images["grafana"]);
    }

    private static Paddock.Workloads.Model.Workload AssertRuns(CatalogEntry entry, string text)
    {
        var load = WorkloadLoader.Load(text, Provisionable);
        Assert.True(load.IsValid, $"{entry.Id}: {string.Join("; ", load.Errors)}");
        var secrets = entry.Parameters.Where(p => p.GeneratesSecret).Select(p => p.Id).ToList();
        var (projection, errors) = WorkloadProjection.Read(load.Workload!, load.Source, secrets);
        Assert.True(projection is not null, $"{entry.Id}: {string.Join("; ", errors)}");
        return load.Workload!;
    }
}
