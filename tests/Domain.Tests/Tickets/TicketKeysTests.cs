using Paddock.Domain.Delivery;
using Paddock.Domain.Tickets;

namespace Paddock.Domain.Tests.Tickets;

public sealed class TicketKeysTests
{
    [Fact]
    public void Keys_are_found_in_commit_messages_and_branch_names_once_each()
    {
        var keys = TicketKeys.Default.Find("PAY-12: fix rounding (see PAY-12, OPS-7) on feature/PAY-99-totals");
        Assert.Equal(["PAY-12", "OPS-7", "PAY-99"], keys);
    }

    [Fact]
    public void Parts_of_longer_words_are_not_keys()
    {
        Assert.Empty(TicketKeys.Default.Find("XPAY-1a and UTF-8x and sha256-abc"));
        Assert.Equal(["UTF-8"], TicketKeys.Default.Find("UTF-8 text"));
    }

    [Fact]
    public void A_team_can_use_its_own_patterns()
    {
        var keys = TicketKeys.For(["#[0-9]+", "PAY-[0-9]+"]);
        Assert.Equal(["#42", "PAY-3"], keys.Find("fixes #42 and PAY-3 but not OPS-4"));
        Assert.True(keys.IsKey("PAY-3"));
        Assert.False(keys.IsKey("OPS-4"));
    }

    [Fact]
    public void Patterns_that_do_not_compile_or_match_empty_text_are_refused()
    {
        Assert.NotNull(TicketKeys.Check("(unclosed"));
        Assert.NotNull(TicketKeys.Check("A*"));
        Assert.Null(TicketKeys.Check(TicketKeys.DefaultPattern));
    }

    [Fact]
    public void Facts_about_one_key_merge_into_the_earliest_commit_and_the_first_title()
    {
        var t0 = new DateTime(2026, 11, 2, 0, 0, 0, DateTimeKind.Utc);
        var merged = TicketFacts.Merge([new("pay-1", FirstCommitAt: t0.AddHours(2)), new("PAY-1", Title: "Totals", Type: TicketType.Bug, FirstCommitAt: t0)]);
        var one = Assert.Single(merged);
        Assert.Equal(("PAY-1", "Totals", TicketType.Bug, t0), (one.Key, one.Title, one.Type!.Value, one.FirstCommitAt!.Value));
    }
}
