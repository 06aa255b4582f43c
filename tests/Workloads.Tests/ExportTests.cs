using Paddock.Workloads.Export;
using Paddock.Workloads.Planning;
using static Paddock.Workloads.Tests.TestSupport;

namespace Paddock.Workloads.Tests;

public class ExportTests
{
    private const string Tricky = """
        apiVersion: score.dev/v1b1
        metadata:
          name: tricky
          annotations:
            example.com/owner: "team: payments # not a comment"
        containers:
          main:
            image: "registry:5000/app@sha256:abc"
            args: ["8080", "true", "yes", "null", "", " leading space", "trailing space ", "- dash", "{not: a map}", "'quoted'", "0o17", "1e3"]
            variables:
              PORT: "8080"
              ENABLED: "true"
              SWITCH: "on"
              URL: postgres://${resources.env.USER}@db/$${literal}
              UNICODE: "grüße ✓"
              TABS: "a\tb"
            files:
              /etc/multi.conf:
                content: |
                  line one
                    indented: two
                  # three
              /etc/no-newline:
                content: "no trailing newline\nsecond"
              /etc/crlf:
                content: "windows\r\nline"
        resources:
          env:
            type: environment
        """;

    [Fact]
    public void Yaml_export_reads_back_as_the_same_workload_even_for_strings_that_look_like_other_things()
    {
        var workload = LoadValid(Tricky);

        var yaml = WorkloadExport.ToYaml(workload);
        var again = LoadValid(yaml);

        Assert.Equal(CanonicalWorkload.ContentHash(workload), CanonicalWorkload.ContentHash(again));
        Assert.Equal(workload.Containers["main"].Args, again.Containers["main"].Args);
        Assert.Equal(workload.Containers["main"].Files["/etc/multi.conf"].Content, again.Containers["main"].Files["/etc/multi.conf"].Content);
        Assert.True(WorkloadPlanner.Plan(Effective(workload), Effective(again)).IsEmpty);
    }

    [Fact]
    public void Json_export_reads_back_as_the_same_workload()
    {
        var workload = LoadValid(Tricky);

        var again = LoadValid(WorkloadExport.ToJson(workload));

        Assert.Equal(CanonicalWorkload.ContentHash(workload), CanonicalWorkload.ContentHash(again));
    }

    [Fact]
    public void Yaml_export_is_canonical_and_readable()
    {
        var workload = LoadValid("""
            containers:
              web:
                variables: { B: two, A: one }
                image: nginx
            metadata: { name: web }
            apiVersion: score.dev/v1b1
            """);

        Assert.Equal("""
            apiVersion: score.dev/v1b1
            containers:
              web:
                image: nginx
                variables:
                  A: one
                  B: two
            metadata:
              name: web

            """.Replace("\r\n", "\n"), WorkloadExport.ToYaml(workload));
    }

    [Fact]
    public void Deprecated_list_forms_are_exported_as_maps()
    {
        var workload = LoadValid(File.ReadAllText(Path.Combine(SamplesDirectory, "spec", "score-deprecated-files-and-volumes.yaml")));

        var yaml = WorkloadExport.ToYaml(workload);

        Assert.Contains("/mnt/some-path:", yaml);
        Assert.DoesNotContain("target", yaml);
    }
}
