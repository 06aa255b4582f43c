using Paddock.Domain.Applications;

namespace Paddock.Domain.Tests.Applications;

public sealed class ApplicationRulesTests
{
    [Theory]
    [InlineData("nginx")]
    [InlineData("nginx:1.27")]
    [InlineData("library/nginx:latest")]
    [InlineData("registry.example.com/team/app:1.2")]
    [InlineData("localhost:5000/app")]
    [InlineData("ghcr.io/org/sub/app_name:v1.0-rc.1")]
    [InlineData("app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Ordinary_image_references_are_accepted(string image) => Assert.Null(ImageReference.Check(image));

    [Theory]
    [InlineData("Nginx")]
    [InlineData("nginx:")]
    [InlineData("nginx latest")]
    [InlineData("-nginx")]
    [InlineData("app@sha256:short")]
    [InlineData("https://registry.example.com/app")]
    public void Malformed_image_references_are_refused(string image) => Assert.NotNull(ImageReference.Check(image));

    [Fact]
    public void An_image_is_required_and_bounded()
    {
        Assert.Equal("Required.", ImageReference.Check(" "));
        Assert.NotNull(ImageReference.Check("a/" + new string('b', 511)));
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(65535, true)]
    [InlineData(0, false)]
    [InlineData(65536, false)]
    public void Ports_are_between_1_and_65535(int port, bool valid) => Assert.Equal(valid, Application.CheckPort(port) is null);

    [Theory]
    [InlineData(0, true)]
    [InlineData(Application.MaxReplicas, true)]
    [InlineData(-1, false)]
    [InlineData(Application.MaxReplicas + 1, false)]
    public void Replicas_may_be_zero_up_to_the_maximum(int replicas, bool valid) =>
        Assert.Equal(valid, Application.CheckReplicas(replicas) is null);

    [Fact]
    public void An_http_health_check_needs_a_path_a_tcp_one_does_not()
    {
        Assert.Null(HealthCheck.Default.Check());
        Assert.NotNull(new HealthCheck(HealthCheckKind.Http, null).Check());
        Assert.NotNull(new HealthCheck(HealthCheckKind.Http, "health").Check());
        Assert.Null(new HealthCheck(HealthCheckKind.Tcp, null).Check());
    }

    [Fact]
    public void Health_check_timing_is_bounded()
    {
        Assert.NotNull(new HealthCheck(HealthCheckKind.Tcp, null, IntervalSeconds: 0).Check());
        Assert.NotNull(new HealthCheck(HealthCheckKind.Tcp, null, TimeoutSeconds: 3601).Check());
    }

    [Fact]
    public void Limits_are_optional_but_bounded_when_given()
    {
        Assert.Null(ResourceLimits.None.Check());
        Assert.Null(new ResourceLimits(250, 128).Check());
        Assert.Contains("cpuMillicores", new ResourceLimits(5, null).Check());
        Assert.Contains("memoryMiB", new ResourceLimits(null, 1).Check());
    }

    [Theory]
    [InlineData("PATH")]
    [InlineData("_private")]
    [InlineData("db_url2")]
    public void Variable_names_are_letters_digits_and_underscores(string name) => Assert.Null(VariableName.Check(name));

    [Theory]
    [InlineData("2FA")]
    [InlineData("MY-VAR")]
    [InlineData("MY VAR")]
    [InlineData("")]
    [InlineData(null)]
    public void Other_variable_names_are_refused(string? name) => Assert.NotNull(VariableName.Check(name));

    [Fact]
    public void Checking_all_variables_keys_each_error_by_field_and_name()
    {
        var errors = VariableName.CheckAll(new Dictionary<string, string>
        {
            ["GOOD"] = "ok",
            ["bad-name"] = "x",
            ["NULL_VALUE"] = null!,
            ["HUGE"] = new string('x', VariableName.MaxValueLength + 1),
        }, "env");

        Assert.Equal(["env.HUGE", "env.NULL_VALUE", "env.bad-name"], errors.Keys.Order(StringComparer.Ordinal));
    }
}
