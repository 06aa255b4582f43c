using Paddock.Workloads.Overrides;

namespace Paddock.Workloads.Tests;

public class OverrideFileTests
{
    [Fact]
    public void An_override_file_sets_replicas_images_and_variables()
    {
        var result = OverrideFile.Read("""
            replicas: 2
            containers:
              web:
                image: shop:2
                variables:
                  LOG_LEVEL: debug
                  OLD_FLAG: null
            """);

        Assert.Empty(result.Errors);
        var environmentOverride = result.Override!;
        Assert.Equal(2, environmentOverride.Replicas);
        Assert.Equal("shop:2", environmentOverride.Containers["web"].Image);
        Assert.Equal(new Dictionary<string, string?> { ["LOG_LEVEL"] = "debug", ["OLD_FLAG"] = null }, environmentOverride.Containers["web"].Variables);
    }

    [Fact]
    public void Errors_in_an_override_file_are_all_reported_at_their_place()
    {
        var result = OverrideFile.Read("""
            replicas: many
            containers:
              web:
                image: ""
                secrets:
                  TOKEN: abc
                variables:
                  PORT: 8080
            colour: blue
            """);

        Assert.Equal(
        [
            "1:11 /replicas: replicas is a whole number from 0 to 1000.",
            "4:12 /containers/web/image: image is a non-empty string.",
            "5:5 /containers/web/secrets: Secrets are not written in files: set them in Paddock for the environment.",
            "8:13 /containers/web/variables/PORT: A variable is a string, or null to remove it.",
            "9:1 /colour: An override has no property \"colour\" (it has replicas and containers).",
        ], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void An_override_written_out_reads_back_the_same_without_its_secrets()
    {
        var environmentOverride = new WorkloadOverride(3, new Dictionary<string, ContainerOverride>
        {
            ["web"] = new("shop:2", new Dictionary<string, string?> { ["A"] = "8080", ["B"] = null }, new Dictionary<string, string> { ["TOKEN"] = "s3cret" }),
        });

        var yaml = OverrideFile.ToYaml(environmentOverride);
        var again = OverrideFile.Read(yaml).Override!;

        Assert.DoesNotContain("s3cret", yaml);
        Assert.DoesNotContain("TOKEN", yaml);
        Assert.Equal(3, again.Replicas);
        Assert.Equal("shop:2", again.Containers["web"].Image);
        Assert.Equal(environmentOverride.Containers["web"].Variables, again.Containers["web"].Variables);
    }
}
