using Paddock.Workloads.Overrides;
using Paddock.Workloads.Placeholders;
using static Paddock.Workloads.Tests.TestSupport;

namespace Paddock.Workloads.Tests;

public class OverrideTests
{
    private const string Text = """
        apiVersion: score.dev/v1b1
        metadata:
          name: shop
        containers:
          web:
            image: shop:1
            variables:
              MODE: production
              LOG: info
              TOKEN: placeholder
          worker:
            image: worker:1
        """;

    [Fact]
    public void Without_an_override_a_workload_runs_as_written_with_one_replica()
    {
        var effective = Effective(LoadValid(Text));

        Assert.Equal(1, effective.Replicas);
        Assert.Equal("shop:1", effective.Workload.Containers["web"].Image);
    }

    [Fact]
    public void An_override_sets_replicas_images_and_variables_of_one_environment()
    {
        var environmentOverride = new WorkloadOverride(3, new Dictionary<string, ContainerOverride>
        {
            ["web"] = new("shop:2-rc1",
                new Dictionary<string, string?> { ["MODE"] = "staging-${metadata.name}", ["LOG"] = null, ["NEW"] = "x" },
                new Dictionary<string, string> { ["TOKEN"] = "t0ken" }),
        });

        var effective = Effective(LoadValid(Text), environmentOverride);

        Assert.Equal(3, effective.Replicas);
        Assert.Equal("shop:2-rc1", effective.Workload.Containers["web"].Image);
        Assert.Equal("worker:1", effective.Workload.Containers["worker"].Image);
        var variables = effective.Resolved.Containers["web"].Variables;
        Assert.Equal(["MODE", "NEW", "TOKEN"], variables.Keys);
        Assert.Equal(ConfigValue.Plain("staging-shop"), variables["MODE"]);
        Assert.Equal(ConfigValue.Secret("t0ken"), variables["TOKEN"]);
        Assert.DoesNotContain("TOKEN", effective.Workload.Containers["web"].Variables.Keys);
    }

    [Fact]
    public void An_override_of_a_container_the_workload_lacks_is_refused()
    {
        var result = EffectiveWorkload.Build(LoadValid(Text),
            new WorkloadOverride(null, new Dictionary<string, ContainerOverride> { ["ghost"] = ContainerOverride.ImageOnly("x:1") }),
            ResourceOutputs.For(LoadValid(Text), EnvironmentValues.None));

        var error = Assert.Single(result.Errors);
        Assert.Equal("/containers/ghost", error.Pointer);
        Assert.Null(result.Effective);
    }

    [Fact]
    public void Negative_replicas_are_refused()
    {
        var result = EffectiveWorkload.Build(LoadValid(Text), new WorkloadOverride(-1, new Dictionary<string, ContainerOverride>()),
            ResourceOutputs.For(LoadValid(Text), EnvironmentValues.None));

        Assert.Equal("/replicas", Assert.Single(result.Errors).Pointer);
    }
}
