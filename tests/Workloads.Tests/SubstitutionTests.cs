using Paddock.Workloads.Model;
using Paddock.Workloads.Placeholders;
using Paddock.Workloads.Source;
using static Paddock.Workloads.Tests.TestSupport;

namespace Paddock.Workloads.Tests;

public class SubstitutionTests
{
    private const string Text = """
        apiVersion: score.dev/v1b1
        metadata:
          name: shop
          annotations:
            team: payments
            example.com/tier: gold
          extra:
            nested: value
        containers:
          main:
            image: shop:1
            variables:
              DATABASE_URL: ${resources.env.DATABASE_URL}
              GREETING: ${resources.env.GREETING}
              CONNECTION: postgres://app:${resources.env.DB_PASSWORD}@db:5432/shop
              NAME: ${metadata.name}
              TEAM: ${metadata.annotations.team}
              TIER: ${metadata.annotations.example\.com/tier}
              EXTRA: ${metadata.extra}
              PRICE: costs $$5 and $${literally}
              LONE: a $ sign and an unclosed ${brace
            files:
              /etc/app.conf:
                content: "password=${resources.env.DB_PASSWORD}"
              /etc/raw.conf:
                content: "kept ${as.is}"
                noExpand: true
        resources:
          env:
            type: environment
        """;

    private static readonly EnvironmentValues Values = new(
        new Dictionary<string, string> { ["DATABASE_URL"] = "postgres://db/shop", ["GREETING"] = "hello ${resources.env.DB_PASSWORD}" },
        new Dictionary<string, string> { ["DB_PASSWORD"] = "s3cret" });

    private static ResolvedContainer Resolve(string text = Text)
    {
        var workload = LoadValid(text);
        var result = WorkloadSubstitution.Resolve(workload, ResourceOutputs.For(workload, Values));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Resolved!.Containers["main"];
    }

    [Fact]
    public void Metadata_placeholders_take_the_workloads_own_values()
    {
        var variables = Resolve().Variables;

        Assert.Equal(ConfigValue.Plain("shop"), variables["NAME"]);
        Assert.Equal(ConfigValue.Plain("payments"), variables["TEAM"]);
        Assert.Equal(ConfigValue.Plain("{\"nested\":\"value\"}"), variables["EXTRA"]);
    }

    [Fact]
    public void An_escaped_dot_is_part_of_a_key()
    {
        Assert.Equal(ConfigValue.Plain("gold"), Resolve().Variables["TIER"]);
    }

    [Fact]
    public void Double_dollars_are_literal_dollars_and_other_dollars_stay()
    {
        var variables = Resolve().Variables;

        Assert.Equal(ConfigValue.Plain("costs $5 and ${literally}"), variables["PRICE"]);
        Assert.Equal(ConfigValue.Plain("a $ sign and an unclosed ${brace"), variables["LONE"]);
    }

    [Fact]
    public void Environment_resources_offer_Paddocks_variables_and_secrets()
    {
        var variables = Resolve().Variables;

        Assert.Equal(ConfigValue.Plain("postgres://db/shop"), variables["DATABASE_URL"]);
        Assert.True(variables["CONNECTION"].IsSecret);
    }

    [Fact]
    public void A_secret_stays_secret_through_concatenation()
    {
        var connection = Resolve().Variables["CONNECTION"];

        Assert.Equal(ConfigValue.Secret("postgres://app:s3cret@db:5432/shop"), connection);
        Assert.Equal(ConfigValue.Mask, connection.ToString());
        Assert.DoesNotContain("s3cret", $"{connection}");
    }

    [Fact]
    public void A_secret_in_a_file_makes_the_file_secret_and_noExpand_keeps_text_as_is()
    {
        var files = Resolve().FileContents;

        Assert.Equal(ConfigValue.Secret("password=s3cret"), files["/etc/app.conf"]);
        Assert.Equal(ConfigValue.Plain("kept ${as.is}"), files["/etc/raw.conf"]);
    }

    [Fact]
    public void A_substituted_value_is_not_read_for_placeholders_again()
    {
        Assert.Equal(ConfigValue.Plain("hello ${resources.env.DB_PASSWORD}"), Resolve().Variables["GREETING"]);
    }

    [Theory]
    [InlineData("${resources.env.MISSING}", "resource \"env\" (environment) has no output \"MISSING\" (it has: DATABASE_URL, DB_PASSWORD, GREETING).")]
    [InlineData("${resources.nope.x}", "the workload has no resource named \"nope\".")]
    [InlineData("${metadata.annotations.nope}", "the workload's metadata has no \"annotations.nope\".")]
    [InlineData("${resources.env.a.b}", "outputs have no parts")]
    [InlineData("${resources.env}", "cannot be used whole")]
    public void A_placeholder_that_resolves_to_nothing_is_an_error_naming_where(string placeholder, string message)
    {
        var workload = LoadValid(Text);
        workload = workload with
        {
            Containers = new Dictionary<string, Container>
            {
                ["main"] = workload.Containers["main"] with { Variables = new Dictionary<string, string> { ["BROKEN"] = $"x {placeholder} y" } },
            },
        };

        var error = Assert.Single(WorkloadSubstitution.Resolve(workload, ResourceOutputs.For(workload, Values)).Errors);

        Assert.Equal("/containers/main/variables/BROKEN", error.Pointer);
        Assert.StartsWith(placeholder + ": ", error.Message);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Errors_carry_the_line_of_the_placeholder_in_the_submitted_text()
    {
        var text = Text.Replace("${resources.env.GREETING}", "${resources.env.NOPE}");
        var loaded = WorkloadLoader.Load(text, AnyType());

        var error = Assert.Single(WorkloadSubstitution.Resolve(loaded.Workload!, ResourceOutputs.For(loaded.Workload!, Values), loaded.Source).Errors);

        Assert.Equal(new SourcePosition(14, 17), error.Position);
    }

    [Fact]
    public void Placeholders_do_not_nest()
    {
        var workload = LoadValid(Text);
        workload = workload with
        {
            Containers = new Dictionary<string, Container>
            {
                ["main"] = workload.Containers["main"] with { Variables = new Dictionary<string, string> { ["NESTED"] = "${resources.env.${metadata.name}}" } },
            },
        };

        var error = Assert.Single(WorkloadSubstitution.Resolve(workload, ResourceOutputs.For(workload, Values)).Errors);

        Assert.StartsWith("${resources.env.${metadata.name}: ", error.Message);
    }

    [Fact]
    public void Resource_params_are_substituted_and_say_when_they_hold_a_secret()
    {
        var text = Text + """

              cache:
                type: redis
                params:
                  password: ${resources.env.DB_PASSWORD}
                  owner: ${metadata.name}
              queue:
                type: amqp
                params:
                  list: ["${metadata.name}", 3]
            """;
        var workload = LoadValid(text);

        var resolved = WorkloadSubstitution.Resolve(workload, ResourceOutputs.For(workload, Values)).Resolved!;

        Assert.True(resolved.ResourceParams["cache"].HoldsSecret);
        Assert.Equal("shop", resolved.ResourceParams["cache"].Params!["owner"]!.GetValue<string>());
        Assert.False(resolved.ResourceParams["queue"].HoldsSecret);
        Assert.Equal("[\"shop\",3]", resolved.ResourceParams["queue"].Params!["list"]!.ToJsonString());
    }

    [Fact]
    public void Resources_that_refer_to_each_other_in_a_cycle_are_an_error_naming_the_cycle()
    {
        var text = Text + """

              aa:
                type: thing
                params: { x: "${resources.bb.out}" }
              bb:
                type: thing
                params: { x: "${resources.cc.out}" }
              cc:
                type: thing
                params: { x: "${resources.aa.out}" }
              dd:
                type: thing
                params: { x: "${resources.dd.out}" }
            """;

        var loaded = WorkloadLoader.Load(text, AnyType("thing"));

        Assert.Equal(
            ["Resources depend on each other in a cycle: aa → bb → cc → aa.", "Resources depend on each other in a cycle: dd → dd."],
            loaded.Errors.Select(e => e.Message));
        Assert.Equal(["/resources/aa/params", "/resources/dd/params"], loaded.Errors.Select(e => e.Pointer));
    }

    [Fact]
    public void Resources_are_ordered_after_the_resources_their_params_refer_to()
    {
        var text = Text + """

              app-db:
                type: postgres
                params: { server: "${resources.server.host}" }
              server:
                type: vm
              user:
                type: role
                params: { db: "${resources.app-db.name}", on: "${resources.server.host}" }
            """;

        var (order, errors) = ResourceOrder.Compute(LoadValid(text));

        Assert.Empty(errors);
        Assert.True(order.ToList().IndexOf("server") < order.ToList().IndexOf("app-db"));
        Assert.True(order.ToList().IndexOf("app-db") < order.ToList().IndexOf("user"));
    }

    [Theory]
    [InlineData("plain", new[] { "L:plain" })]
    [InlineData("$$", new[] { "L:$" })]
    [InlineData("$$$", new[] { "L:$$" })]
    [InlineData("$${a.b}", new[] { "L:${a.b}" })]
    [InlineData("$$${a.b}", new[] { "L:$", "R:a|b" })]
    [InlineData("a${x.y}b${z.w}", new[] { "L:a", "R:x|y", "L:b", "R:z|w" })]
    [InlineData("${a\\.b.c}", new[] { "R:a.b|c" })]
    [InlineData("${}", new[] { "R:" })]
    [InlineData("$", new[] { "L:$" })]
    public void Templates_split_as_Score_splits_them(string text, string[] expected)
    {
        var parts = Template.Parse(text).Parts.Select(p => p switch
        {
            Literal l => "L:" + l.Text,
            Reference r => "R:" + string.Join("|", r.Path),
            _ => "?",
        });

        Assert.Equal(expected, parts);
    }
}
