using Paddock.Portal.Components.Pages.Workloads;
using static Paddock.Portal.Components.Pages.Workloads.YamlTokenKind;

namespace Paddock.Integration.Tests.Workloads.Ui;

/// <summary>The editor's colours: pure, no database. The tokens of each line must spell the line exactly, or the
/// coloured copy would drift from the text being edited.</summary>
public sealed class YamlHighlighterTests
{
    private static IReadOnlyList<(YamlTokenKind, string)> Line(string text, int index = 0) =>
        YamlHighlighter.Tokenise(text)[index].Where(t => t.Kind != Plain || t.Text.Trim().Length > 0).Select(t => (t.Kind, t.Text)).ToList();

    [Fact]
    public void Keys_values_numbers_and_comments_get_their_colours()
    {
        Assert.Equal([(Key, "port"), (Punctuation, ":"), (Number, "8080"), (Comment, "# the web port")], Line("      port: 8080 # the web port"));
        Assert.Equal([(Key, "image"), (Punctuation, ":"), (YamlTokenKind.String, "nginx:1.25")], Line("image: nginx:1.25"));
        Assert.Equal([(Key, "enabled"), (Punctuation, ":"), (Literal, "true")], Line("enabled: true"));
        Assert.Equal([(Comment, "# a whole-line comment")], Line("  # a whole-line comment"));
    }

    [Fact]
    public void List_items_quoted_strings_and_placeholders_are_told_apart()
    {
        Assert.Equal([(Punctuation, "-"), (YamlTokenKind.String, "\"echo # not a comment\"")], Line("  - \"echo # not a comment\""));
        Assert.Equal([(Punctuation, "-"), (Key, "name"), (Punctuation, ":"), (YamlTokenKind.String, "web")], Line("- name: web"));
        Assert.Equal([(Key, "URL"), (Punctuation, ":"), (YamlTokenKind.String, "postgres://"), (Placeholder, "${resources.db.host}"), (YamlTokenKind.String, ":5432 costs $$5")],
            Line("URL: postgres://${resources.db.host}:5432 costs $$5"));
    }

    [Fact]
    public void The_lines_of_a_block_scalar_are_text_even_when_they_look_like_keys()
    {
        var lines = YamlHighlighter.Tokenise("files:\n  /etc/app.conf:\n    content: |\n      key: value\n\n      # not a comment\n    mode: \"0644\"");
        Assert.Equal([new YamlToken(BlockText, "      key: value")], lines[3]);
        Assert.Empty(lines[4]);
        Assert.Equal([new YamlToken(BlockText, "      # not a comment")], lines[5]);
        Assert.Contains(new YamlToken(Key, "mode"), lines[6]);
    }

    [Theory]
    [InlineData("apiVersion: score.dev/v1b1\nmetadata:\n  name: web # x\ncontainers:\n  web:\n    args: ['a: b', \"c\\\" d\"]\n    content: >-\n      folded\n")]
    [InlineData("- - nested: 'it''s'\n  -\n---\nkey:   \n\"quoted key\" : 1\n? complex\n")]
    [InlineData("unterminated: \"no end\nweird: {a: 1, b: [2, 3]}\r\nwindows: line")]
    public void Every_line_is_spelled_exactly_by_its_tokens(string text)
    {
        var lines = YamlHighlighter.Tokenise(text);
        Assert.Equal(text.Replace("\r\n", "\n").Split('\n'), lines.Select(tokens => string.Concat(tokens.Select(t => t.Text))));
    }
}
