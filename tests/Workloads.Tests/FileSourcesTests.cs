using System.Text;
using Paddock.Workloads.Source;
using static Paddock.Workloads.Tests.TestSupport;

namespace Paddock.Workloads.Tests;

/// <summary>Score's <c>files[].source</c> read beside the workload file: paths resolved from its directory and kept
/// inside the repository, and each sourced file put in place of its <c>source</c> as content without moving any other
/// line.</summary>
public class FileSourcesTests
{
    private const string Workload = """
        apiVersion: score.dev/v1b1
        metadata:
          name: web
        containers:
          web:
            image: busybox
            files:
              /etc/app/app.conf:
                source: ./config/app.conf
                noExpand: true
              /etc/app/logo.png:
                mode: "0644"
                source: logo.png
            variables:
              AFTER: the files
        """;

    [Theory]
    [InlineData("deploy/score.yaml", "./app.conf", "deploy/app.conf")]
    [InlineData("deploy/score.yaml", "config/app.conf", "deploy/config/app.conf")]
    [InlineData("deploy/score.yaml", "../shared/app.conf", "shared/app.conf")]
    [InlineData("score.yaml", "app.conf", "app.conf")]
    [InlineData("deploy/score.yaml", "../../etc/passwd", null)]
    [InlineData("score.yaml", "../app.conf", null)]
    [InlineData("deploy/score.yaml", "/etc/passwd", null)]
    [InlineData("deploy/score.yaml", "..", null)]
    public void A_source_is_a_path_from_the_workload_files_directory_that_stays_inside_the_repository(string workload, string source, string? expected)
    {
        var directory = workload.Contains('/') ? workload[..workload.LastIndexOf('/')] : "";
        Assert.Equal(expected, FileSources.Resolve(directory, source));
    }

    [Fact]
    public void Sourced_files_become_content_or_binary_content_on_their_own_lines_and_the_rest_stays_where_it_was()
    {
        var scan = FileSources.Find(Workload, "deploy/score.yaml");
        Assert.Empty(scan.Errors);
        Assert.Equal(["deploy/config/app.conf", "deploy/logo.png"], scan.Files.Select(f => f.RepositoryPath));
        Assert.Equal("/containers/web/files/~1etc~1app~1app.conf/source", scan.Files[0].Pointer);
        Assert.Equal(9, scan.Files[0].Position.Line);
        var config = "port = 8080\nprice = \"$5 and ${not.a.placeholder}\"\n\ttabbed \\ back\n";
        byte[] logo = [0x89, 0x50, 0x4E, 0x47, 0x00, 0xFF];

        var inlined = FileSources.Inline(Workload, [(scan.Files[0], Encoding.UTF8.GetBytes(config)), (scan.Files[1], logo)]);

        var lines = Workload.Split('\n');
        var inlinedLines = inlined.Split('\n');
        Assert.Equal(lines.Length, inlinedLines.Length);
        Assert.Equal(lines.Where((_, i) => i is not 8 and not 12), inlinedLines.Where((_, i) => i is not 8 and not 12));
        var files = LoadValid(inlined).Containers["web"].Files;
        Assert.Equal(config, files["/etc/app/app.conf"].Content);
        Assert.True(files["/etc/app/app.conf"].NoExpand);
        Assert.Null(files["/etc/app/app.conf"].Source);
        Assert.Equal(Convert.ToBase64String(logo), files["/etc/app/logo.png"].BinaryContent);
        Assert.Equal("0644", files["/etc/app/logo.png"].Mode);
    }

    [Fact]
    public void A_json_workload_and_the_deprecated_array_of_files_take_their_sources_too()
    {
        const string json = """
            {"apiVersion": "score.dev/v1b1", "metadata": {"name": "web"},
             "containers": {"web": {"image": "busybox", "files": [{"target": "/etc/app.conf", "source": "app.conf"}]}}}
            """;
        var scan = FileSources.Find(json, "score.json");
        var file = Assert.Single(scan.Files);
        Assert.Equal(("/containers/web/files/0/source", "app.conf"), (file.Pointer, file.RepositoryPath));

        var inlined = FileSources.Inline(json, [(file, Encoding.UTF8.GetBytes("a = \"b\"\n"))]);

        Assert.Equal("a = \"b\"\n", LoadValid(inlined).Containers["web"].Files["/etc/app.conf"].Content);
    }

    [Fact]
    public void An_absolute_source_or_one_leaving_the_repository_is_an_error_at_its_pointer_and_line()
    {
        var text = Workload.Replace("./config/app.conf", "../../etc/passwd").Replace("source: logo.png", "source: /etc/logo.png");

        var scan = FileSources.Find(text, "deploy/score.yaml");

        Assert.Empty(scan.Files);
        Assert.Equal([("/containers/web/files/~1etc~1app~1app.conf/source", 9), ("/containers/web/files/~1etc~1app~1logo.png/source", 13)],
            scan.Errors.Select(e => (e.Pointer, e.Position!.Value.Line)));
        Assert.All(scan.Errors, e => Assert.Contains("inside the repository", e.Message));
    }

    [Fact]
    public void An_aliased_source_is_refused_and_a_file_reached_twice_through_an_alias_is_read_once()
    {
        var aliasedValue = Workload.Replace("name: web", "name: &conf web").Replace("source: ./config/app.conf", "source: *conf");
        var scan = FileSources.Find(aliasedValue, "score.yaml");
        Assert.Contains("*conf", aliasedValue);
        Assert.Equal("/containers/web/files/~1etc~1app~1app.conf/source", Assert.Single(scan.Errors).Pointer);

        var sharedFile = Workload.Replace("      /etc/app/app.conf:\n", "      /etc/app/app.conf: &file\n")
            .Replace("    variables:", "      /etc/app/copy.conf: *file\n    variables:");
        Assert.Contains("copy.conf: *file", sharedFile);
        scan = FileSources.Find(sharedFile, "score.yaml");
        Assert.Empty(scan.Errors);
        Assert.Equal(["config/app.conf", "logo.png"], scan.Files.Select(f => f.RepositoryPath));
        var inlined = FileSources.Inline(sharedFile, [(scan.Files[0], "shared\n"u8.ToArray()), (scan.Files[1], "logo"u8.ToArray())]);
        var files = LoadValid(inlined).Containers["web"].Files;
        Assert.Equal(("shared\n", "shared\n"), (files["/etc/app/app.conf"].Content, files["/etc/app/copy.conf"].Content));
    }

    [Fact]
    public void Text_that_is_not_utf8_or_holds_nul_is_not_text()
    {
        Assert.Equal("héllo", FileSources.TextOf(Encoding.UTF8.GetBytes("héllo")));
        Assert.Null(FileSources.TextOf([0xC3, 0x28]));
        Assert.Null(FileSources.TextOf([0x61, 0x00]));
    }
}
