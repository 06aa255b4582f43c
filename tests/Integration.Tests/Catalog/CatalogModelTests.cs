using Paddock.Portal.Api;
using Paddock.Portal.Features.Catalog;

namespace Paddock.Integration.Tests.Catalog;

public sealed class CatalogModelTests
{
    private static CatalogEntry Entry(string template, params CatalogParameter[] parameters) =>
        new("demo", "Demo", new CatalogVersion("1.0"), "", null, parameters, new Dictionary<string, string> { ["web"] = "localhost/paddock-demo:1" }, template);

    [Theory]
    [InlineData("1.10", "1.9")]
    [InlineData("1.39.10", "1.39.9")]
    [InlineData("2", "1.99.99")]
    [InlineData("1.0.1", "1.0")]
    [InlineData("1.0-2", "1.0-1")]
    public void Versions_compare_number_by_number(string newer, string older) =>
        Assert.True(new CatalogVersion(newer).IsNewerThan(new CatalogVersion(older)));

    [Fact]
    public void Parameters_take_the_submitted_value_then_the_previous_install_then_the_default()
    {
        var entry = Entry("", new("A", "A", null, "da", null, false), new("B", "B", null, "db", null, false), new("C", "C", null, "dc", null, false));
        var values = CatalogParameters.Resolve(entry, new Dictionary<string, string?> { ["A"] = "given" },
            new Dictionary<string, string> { ["A"] = "old", ["B"] = "old" }, new FieldErrors());

        Assert.Equal(["given", "old", "dc"], [values["A"], values["B"], values["C"]]);
    }

    [Fact]
    public void Every_bad_parameter_is_named_by_its_field()
    {
        var entry = Entry("",
            new("NAME", "Name", null, null, "[a-z]+", false),
            new("REQUIRED", "Required", null, null, null, false),
            new("KEY", "Key", null, null, null, true));
        var errors = new FieldErrors();

        CatalogParameters.Resolve(entry, new Dictionary<string, string?> { ["NAME"] = "Not lower", ["KEY"] = "mine", ["OTHER"] = "x" }, null, errors);

        var failure = errors.ToFailure();
        Assert.Equal(["parameters.KEY", "parameters.NAME", "parameters.OTHER", "parameters.REQUIRED"], failure.Errors!.Keys.Order());
    }

    [Fact]
    public void A_pattern_must_match_the_whole_value()
    {
        Assert.True(CatalogParameters.Matches("[a-z]+", "abc"));
        Assert.False(CatalogParameters.Matches("[a-z]+", "abc1"));
        Assert.False(CatalogParameters.Matches("a|b", "ab"));
    }

    [Fact]
    public void Rendering_fills_parameters_and_images_and_leaves_Score_placeholders_and_escapes_alone()
    {
        var entry = Entry("image: \"${images.web}\"\nA: \"${parameters.A}\"\nB: ${resources.db.host}\nC: $${parameters.A}\n",
            new CatalogParameter("A", "A", null, null, null, false));

        var text = CatalogTemplate.Render(entry, new Dictionary<string, string> { ["A"] = "x\"$y" });

        Assert.Equal("image: \"localhost/paddock-demo:1\"\nA: \"x\\\"$$y\"\nB: ${resources.db.host}\nC: $${parameters.A}\n", text);
    }

    [Fact]
    public void Generated_secrets_differ_and_are_url_safe()
    {
        var (a, b) = (CatalogParameters.GenerateSecret(), CatalogParameters.GenerateSecret());
        Assert.NotEqual(a, b);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", a);
    }
}
