using Paddock.Domain.Names;

namespace Paddock.Domain.Tests.Names;

public sealed class NameTypesTests
{
    [Fact]
    public void App_names_are_dns_labels_of_at_most_30_characters()
    {
        Assert.Null(AppName.Check(new string('a', 30)));
        Assert.NotNull(AppName.Check(new string('a', 31)));
        Assert.NotNull(AppName.Check("Shop"));
    }

    [Theory]
    [InlineData("kube")]
    [InlineData("paddock")]
    [InlineData("default")]
    [InlineData("kube-dns")]
    [InlineData("paddock-proxy")]
    public void App_names_cannot_be_reserved(string name)
    {
        Assert.Contains("reserved", AppName.Check(name));
        Assert.Throws<ArgumentException>(() => AppName.Parse(name));
    }

    [Theory]
    [InlineData("kubernetes")]
    [InlineData("my-paddock")]
    [InlineData("defaults")]
    public void Names_that_only_resemble_reserved_ones_are_allowed(string name) => Assert.Null(AppName.Check(name));

    [Fact]
    public void Environment_names_are_dns_labels_of_at_most_20_characters()
    {
        Assert.Null(EnvironmentName.Check("production"));
        Assert.Null(EnvironmentName.Check(new string('e', 20)));
        Assert.NotNull(EnvironmentName.Check(new string('e', 21)));
        Assert.NotNull(EnvironmentName.Check("Prod"));
        Assert.Throws<ArgumentException>(() => EnvironmentName.Parse("pr_1"));
    }

    [Fact]
    public void A_resource_name_joins_app_and_environment_with_a_hyphen()
    {
        var name = ResourceName.For(AppName.Parse("shop"), EnvironmentName.Parse("staging"));

        Assert.Equal("shop-staging", name.Value);
    }

    [Fact]
    public void The_longest_resource_name_is_still_a_valid_dns_label()
    {
        var name = ResourceName.For(AppName.Parse(new string('a', AppName.MaxLength)), EnvironmentName.Parse(new string('e', EnvironmentName.MaxLength)));

        Assert.Null(DnsLabel.Check(name.Value, 63));
    }

    [Fact]
    public void Different_apps_and_environments_can_derive_the_same_resource_name()
    {
        var first = ResourceName.For(AppName.Parse("a-b"), EnvironmentName.Parse("c"));
        var second = ResourceName.For(AppName.Parse("a"), EnvironmentName.Parse("b-c"));

        Assert.Equal(first, second);
    }

    [Fact]
    public void A_derived_name_that_lands_on_a_reserved_prefix_is_refused()
    {
        // Only reachable for apps stored before their name was reserved, hence FromTrusted.
        Assert.Contains("kube-", ResourceName.Check(AppName.FromTrusted("kube"), EnvironmentName.Parse("system")));
        Assert.Null(ResourceName.Check(AppName.Parse("shop"), EnvironmentName.Parse("system")));
    }

    [Fact]
    public void Reserved_names_are_matched_exactly_or_by_prefix()
    {
        Assert.NotNull(ReservedNames.Check("default"));
        Assert.NotNull(ReservedNames.Check("paddock-system"));
        Assert.Null(ReservedNames.Check("kubelet"));
        Assert.Null(ReservedNames.Check("paddocks"));
    }
}
