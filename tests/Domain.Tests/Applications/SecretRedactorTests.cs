using Paddock.Domain.Applications;
using Paddock.Domain.Backends;

namespace Paddock.Domain.Tests.Applications;

public sealed class SecretRedactorTests
{
    [Fact]
    public void Every_known_secret_value_is_replaced_wherever_it_appears()
    {
        var redactor = new SecretRedactor(["s3cret-token", "hunter22"]);

        Assert.Equal("env API_KEY=[redacted] and PW=[redacted]!", redactor.Redact("env API_KEY=s3cret-token and PW=hunter22!"));
    }

    [Theory]
    [InlineData("invalid env \"API_KEY=abcd\\x00efgh-42\"")]
    [InlineData("invalid env \"API_KEY=abcd\\u0000efgh-42\"")]
    [InlineData("invalid env API_KEY=abcd\0efgh-42")]
    public void A_value_with_a_control_character_is_redacted_however_the_engine_escaped_it(string engineText)
    {
        var redactor = new SecretRedactor(["abcd\0efgh-42"]);

        var redacted = redactor.Redact(engineText);

        Assert.DoesNotContain("abcd", redacted);
        Assert.DoesNotContain("efgh-42", redacted);
    }

    [Fact]
    public void Short_values_are_left_alone_and_longer_values_win_over_their_parts()
    {
        var redactor = new SecretRedactor(["on", "token", "token-and-more"]);

        Assert.Equal("on: [redacted], [redacted]", redactor.Redact("on: token-and-more, token"));
    }

    [Fact]
    public void A_failure_and_its_log_lines_are_redacted()
    {
        var redactor = new SecretRedactor(["s3cret-token"]);

        var result = redactor.Redact(ApplyResult.Failed(ApplyFailureKind.ExitedAtStart, "exited: s3cret-token", ["printing s3cret-token"]));

        Assert.Equal("exited: [redacted]", result.Failure!.Reason);
        Assert.Equal(["printing [redacted]"], result.Failure.LastLogLines);
    }

    [Theory]
    [InlineData("a\0b")]
    [InlineData("a\u001bb")]
    [InlineData("\u0007")]
    public void Values_with_control_characters_are_refused(string value) =>
        Assert.NotNull(VariableName.CheckValue(value));

    [Theory]
    [InlineData("tab\there")]
    [InlineData("line\nfeed\r\n")]
    [InlineData("ünïcode ✓")]
    public void Tab_line_feed_carriage_return_and_unicode_are_fine(string value) =>
        Assert.Null(VariableName.CheckValue(value));
}
