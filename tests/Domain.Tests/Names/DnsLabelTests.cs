using Paddock.Domain.Names;

namespace Paddock.Domain.Tests.Names;

public sealed class DnsLabelTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("web")]
    [InlineData("web-2")]
    [InlineData("0day")]
    [InlineData("a--b")]
    public void Lowercase_letters_digits_and_inner_hyphens_are_valid(string value) =>
        Assert.Null(DnsLabel.Check(value, 63));

    [Theory]
    [InlineData("Web")]
    [InlineData("-web")]
    [InlineData("web-")]
    [InlineData("web_api")]
    [InlineData("web.api")]
    [InlineData("wéb")]
    [InlineData(" web")]
    public void Anything_else_is_refused_with_the_rule(string value) =>
        Assert.Contains(DnsLabel.Rule, DnsLabel.Check(value, 63));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void A_missing_value_is_required(string? value) => Assert.Equal("Required.", DnsLabel.Check(value, 63));

    [Fact]
    public void The_length_limit_is_inclusive()
    {
        Assert.Null(DnsLabel.Check(new string('a', 10), 10));
        Assert.Contains("At most 10", DnsLabel.Check(new string('a', 11), 10));
    }
}
