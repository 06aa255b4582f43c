using Paddock.Portal.Api;

namespace Paddock.Integration.Tests.Contract;

public sealed class PagingTests
{
    [Fact]
    public void Blank_page_and_size_mean_the_first_page_of_the_default_size()
    {
        var paging = Paging.Parse(" ", null, defaultSize: 20, maxSize: 100);

        Assert.Equal(new Paging(1, 20), paging.Value);
    }

    [Theory]
    [InlineData("+2")]
    [InlineData(" 2")]
    [InlineData("2.0")]
    [InlineData("21474837")] // past int.MaxValue / maxSize, where skipping would overflow
    public void Anything_but_plain_digits_in_range_is_refused(string page)
    {
        var paging = Paging.Parse(page, "100", defaultSize: 20, maxSize: 100);

        Assert.False(paging.IsOk);
        Assert.Equal(["page"], paging.Errors!.Keys);
    }

    [Fact]
    public void The_next_page_is_null_once_a_page_reaches_the_last_item()
    {
        Assert.Equal(3, new Paging(2, 10).NextPage(total: 21));
        Assert.Null(new Paging(3, 10).NextPage(total: 21));
        Assert.Null(new Paging(2, 10).NextPage(total: 20));
        Assert.Equal(10, new Paging(2, 10).Skip);
    }
}
