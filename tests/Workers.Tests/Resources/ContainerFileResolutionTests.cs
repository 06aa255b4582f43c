using System.Text;
using Paddock.Domain.Deployments;
using Paddock.Workers.Resources;

namespace Paddock.Workers.Tests.Resources;

/// <summary>The worker resolves a snapshot's file templates: the pinned secrets and the resources' outputs take their
/// places, a file that took a secret is secret, <c>$$</c> is a literal <c>$</c>, binary content is decoded.</summary>
public sealed class ContainerFileResolutionTests
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, (string Value, bool Secret)>> Outputs =
        new Dictionary<string, IReadOnlyDictionary<string, (string Value, bool Secret)>>
        {
            ["db"] = new Dictionary<string, (string Value, bool Secret)> { ["host"] = ("db.internal", false), ["password"] = ("pg-secret", true) },
        };

    private static readonly SnapshotResource Db = new("db", "postgres", "default", "db");
    private static readonly Dictionary<string, string> Secrets = new() { ["API_KEY"] = "k-123" };

    private static string Text(byte[] content) => Encoding.UTF8.GetString(content);

    [Fact]
    public void Placeholders_take_secrets_and_outputs_and_a_file_that_took_a_secret_is_secret()
    {
        var files = ResourceVariables.Files(
        [
            new SnapshotFile("web", "/etc/plain.conf", null, "host=${resources.db.host} costs $$5"),
            new SnapshotFile("web", "/etc/db.conf", "0600", "password=${resources.db.password}"),
            new SnapshotFile("helper", "/etc/key", "0400", "${resources.env.API_KEY}"),
            new SnapshotFile("helper", "/bin/blob", "0755", Convert.ToBase64String([0, 1, 2]), Binary: true),
        ], [Db], Secrets, Outputs);

        Assert.Equal(("web", "/etc/plain.conf", 0b110_100_100, "host=db.internal costs $5", false),
            (files[0].Container, files[0].File.Target, files[0].File.Mode, Text(files[0].File.Content), files[0].File.Secret));
        Assert.Equal((0b110_000_000, "password=pg-secret", true), (files[1].File.Mode, Text(files[1].File.Content), files[1].File.Secret));
        Assert.Equal(("helper", "k-123", true), (files[2].Container, Text(files[2].File.Content), files[2].File.Secret));
        Assert.Equal([0, 1, 2], files[3].File.Content);
        Assert.False(files[3].File.Secret);
        Assert.DoesNotContain("k-123", files[2].File.ToString());
    }

    [Fact]
    public void An_output_the_resources_do_not_offer_stops_the_deployment()
    {
        Assert.Throws<ResourceOutputMissingException>(() =>
            ResourceVariables.Files([new SnapshotFile("web", "/etc/x", null, "${resources.db.port}")], [Db], Secrets, Outputs));
    }
}
