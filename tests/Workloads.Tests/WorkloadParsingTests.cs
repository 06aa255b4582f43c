using Paddock.Workloads.Model;
using Paddock.Workloads.Source;
using Paddock.Workloads.Validation;
using static Paddock.Workloads.Tests.TestSupport;

namespace Paddock.Workloads.Tests;

public class WorkloadParsingTests
{
    private static string FullSample => File.ReadAllText(Path.Combine(SamplesDirectory, "spec", "score-full.yaml"));

    [Fact]
    public void The_full_sample_is_read_into_the_typed_model()
    {
        var workload = LoadValid(FullSample);

        Assert.Equal("score.dev/v1b1", workload.ApiVersion);
        Assert.Equal("example-workload-name123", workload.Metadata.Name);
        Assert.Equal("something else", workload.Metadata.Annotations["prefix.com/Another-Key_Annotation.2"]);
        Assert.Equal("extra-value", workload.Metadata.Other["extra-key"]!.GetValue<string>());
        Assert.Equal(new ServicePort(1000, TransportProtocol.Tcp, 10000), workload.Ports["port-one"]);
        Assert.Equal(8000, workload.Ports["port-two2"].EffectiveTargetPort);

        Assert.Equal(["container-one1", "container-two2"], workload.Containers.Keys);
        var one = workload.Containers["container-one1"];
        Assert.Equal("localhost:4000/repo/my-image:tag", one.Image);
        Assert.Equal(["/bin/sh", "-c"], one.Command!);
        Assert.Equal(["hello", "world"], one.Args!);
        Assert.Equal("some content here", one.Variables["SOME_VAR"]);
        Assert.Equal(new ContainerFile("0600", "file.txt", null, null, null), one.Files["/my/file"]);
        Assert.Equal("some multiline\ncontent\n", one.Files["/my/other/file"].Content);
        Assert.Equal("ADBgwpA=", one.Files["/my/other/binaryfile"].BinaryContent);
        Assert.Equal(new ContainerVolume("volume-name", "/sub/path", false), one.Volumes["/mnt/something"]);
        Assert.Equal(new ResourceAmounts("128M", "0.24"), one.Resources!.Limits);
        Assert.Equal(new ResourceAmounts("10Gi", "1000m"), one.Resources.Requests);
        Assert.Equal(8080, one.LivenessProbe!.HttpGet!.Port);
        Assert.Equal(["/bin/curl", "-f", "http://localhost:8080/livez"], one.LivenessProbe.Exec!.Command);
        Assert.Equal(new HttpHeader("SOME_HEADER", "some-value-here"), Assert.Single(one.ReadinessProbe!.HttpGet!.Headers));
        Assert.Equal("HTTP", one.ReadinessProbe.HttpGet.Scheme);
        Assert.Equal(".", workload.Containers["container-two2"].Image);

        var resource = workload.Resources["resource-one1"];
        Assert.Equal(("Resource-One", "default"), (resource.Type, resource.Class));
        Assert.Equal("here", resource.Params!["extra"]!["data"]!.GetValue<string>());
        Assert.Equal("extra-value", resource.Metadata!["extra-key"]!.GetValue<string>());
        Assert.Equal("shared-type-three", workload.Resources["resource-three"].Id);
    }

    [Fact]
    public void The_deprecated_list_forms_of_files_and_volumes_become_maps_keyed_by_target()
    {
        var workload = LoadValid(File.ReadAllText(Path.Combine(SamplesDirectory, "spec", "score-deprecated-files-and-volumes.yaml")));

        var main = workload.Containers["main"];
        Assert.Equal("my content here", main.Files["/mnt/some-path"].Content);
        Assert.Equal("some-volume", main.Volumes["/mnt/vol"].Source);
    }

    [Fact]
    public void Json_and_yaml_that_say_the_same_give_the_same_workload()
    {
        const string yaml = """
            apiVersion: score.dev/v1b1
            metadata:
              name: web
            service:
              ports:
                http: { port: 80, targetPort: 8080 }
            containers:
              main:
                image: nginx:1.27
                variables:
                  PORT: "8080"
            """;
        const string json = """
            {
              "containers": { "main": { "variables": { "PORT": "8080" }, "image": "nginx:1.27" } },
              "apiVersion": "score.dev/v1b1",
              "service": { "ports": { "http": { "targetPort": 8080, "port": 80 } } },
              "metadata": { "name": "web" }
            }
            """;

        Assert.Equal(Export.CanonicalWorkload.ContentHash(LoadValid(yaml)), Export.CanonicalWorkload.ContentHash(LoadValid(json)));
    }

    [Fact]
    public void Errors_in_json_point_at_their_line_and_column()
    {
        const string json = "{\n  \"apiVersion\": \"score.dev/v1b1\",\n  \"metadata\": { \"name\": \"web\" },\n  \"containers\": {\n    \"main\": { \"image\": 42 }\n  }\n}\n";

        var error = Assert.Single(WorkloadLoader.Load(json, WorkloadRules.Default).Errors);

        Assert.Equal("/containers/main/image", error.Pointer);
        Assert.Equal(new SourcePosition(5, 24), error.Position);
    }

    [Fact]
    public void A_value_with_a_nul_character_is_refused_with_a_clear_error()
    {
        const string text = "apiVersion: score.dev/v1b1\nmetadata:\n  name: web\ncontainers:\n  main:\n    image: nginx\n    variables:\n      A: \"one\\0two\"\n";

        var error = Assert.Single(WorkloadLoader.Load(text, WorkloadRules.Default).Errors);

        Assert.Equal("/containers/main/variables/A", error.Pointer);
        Assert.Equal(new SourcePosition(8, 10), error.Position);
        Assert.Contains("NUL character", error.Message);
    }

    [Fact]
    public void A_text_with_a_raw_nul_byte_is_refused_where_it_is()
    {
        var error = Assert.Single(WorkloadLoader.Load("apiVersion: score.dev/v1b1\nmetadata:\n  name: w\0b\n", WorkloadRules.Default).Errors);

        Assert.Equal(new SourcePosition(3, 10), error.Position);
        Assert.Contains("NUL character", error.Message);
    }

    [Fact]
    public void A_key_with_a_nul_character_is_refused()
    {
        const string text = "apiVersion: score.dev/v1b1\nmetadata:\n  name: web\ncontainers:\n  main:\n    image: nginx\n    variables:\n      \"A\\0\": x\n";

        var error = Assert.Single(WorkloadLoader.Load(text, WorkloadRules.Default).Errors);

        Assert.Contains("NUL character", error.Message);
        Assert.Equal(8, error.Position!.Value.Line);
    }

    [Theory]
    [InlineData("apiVersion: score.dev/v1b1\nmetadata:\n  name: a\n  name: b\n", 4, "Duplicate key")]
    [InlineData("apiVersion: score.dev/v1b1\nmetadata: [\n", 3, "not valid YAML")]
    [InlineData("apiVersion: score.dev/v1b1\n---\napiVersion: score.dev/v1b1\n", 3, "more than one YAML document")]
    public void Text_that_is_not_one_yaml_document_is_refused_where_it_breaks(string text, int line, string message)
    {
        var error = Assert.Single(WorkloadLoader.Load(text, WorkloadRules.Default).Errors);

        Assert.Equal(line, error.Position!.Value.Line);
        Assert.Contains(message, error.ToString());
    }

    [Fact]
    public void An_empty_text_is_refused()
    {
        Assert.Contains("empty", Assert.Single(WorkloadLoader.Load("", WorkloadRules.Default).Errors).Message);
    }

    [Fact]
    public void Aliases_that_expand_without_bound_are_refused()
    {
        var lines = new List<string> { "a0: &a0 [x, x, x, x, x, x, x, x, x, x]" };
        for (var i = 1; i < 8; i++)
            lines.Add($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]");

        var error = Assert.Single(WorkloadLoader.Load(string.Join("\n", lines), WorkloadRules.Default).Errors);

        Assert.Contains("more than 100000 nodes", error.Message);
    }

    [Fact]
    public void Quoted_numbers_and_booleans_stay_strings_while_plain_ones_do_not()
    {
        const string text = "apiVersion: score.dev/v1b1\nmetadata:\n  name: web\ncontainers:\n  main:\n    image: nginx\n    variables:\n      A: \"8080\"\n      B: 'true'\n      C: !!str 12\n      D: 8080\n";

        var error = Assert.Single(WorkloadLoader.Load(text, WorkloadRules.Default).Errors);

        Assert.Equal("/containers/main/variables/D", error.Pointer);
        Assert.Equal("Value is \"integer\" but should be \"string\": write it in quotes, as \"8080\".", error.Message);
    }

    [Fact]
    public void Messages_say_what_to_do()
    {
        const string text = """
            apiVersion: score.dev/v1b1
            metadata:
              name: My_App
            containers:
              main:
                image: nginx
                imagePullPolicy: Always
                files:
                  /etc/a:
                    content: x
                    source: y
                  /etc/b:
                    mode: "0644"
            """;

        var errors = WorkloadLoader.Load(text, WorkloadRules.Default).Errors.Select(e => e.ToString()).ToList();

        Assert.Equal(
        [
            "3:9 /metadata/name: The value \"My_App\" must be 2 to 63 lowercase letters, digits or '-', starting and ending with a letter or digit (a DNS label).",
            "7:5 /containers/main/imagePullPolicy: Score workloads have no property \"imagePullPolicy\" here.",
            "9:7 /containers/main/files/~1etc~1a: Only one of the properties \"content\", \"binaryContent\", \"source\" may be set.",
            "12:7 /containers/main/files/~1etc~1b: Exactly one of the properties \"content\", \"binaryContent\", \"source\" is required.",
        ], errors);
    }

    [Fact]
    public void Json_indented_with_tabs_is_read()
    {
        var json = "{\n\t\"apiVersion\": \"score.dev/v1b1\",\n\t\"metadata\": {\n\t\t\"name\": \"web\"\n\t},\n\t\"containers\": {\n\t\t\"main\": {\n\t\t\t\"image\": 7\n\t\t}\n\t}\n}\n";

        var error = Assert.Single(WorkloadLoader.Load(json, WorkloadRules.Default).Errors);

        Assert.Equal("/containers/main/image", error.Pointer);
        Assert.Equal(new SourcePosition(8, 13), error.Position);
    }

    [Fact]
    public void A_workload_wrong_everywhere_gets_at_most_a_thousand_errors()
    {
        var variables = string.Concat(Enumerable.Range(0, 3000).Select(i => $"      V{i}: {i}\n"));
        var text = $"apiVersion: score.dev/v1b1\nmetadata:\n  name: web\ncontainers:\n  main:\n    image: nginx\n    variables:\n{variables}";

        var errors = WorkloadLoader.Load(text, WorkloadRules.Default).Errors;

        Assert.Equal(1000, errors.Count);
        Assert.All(errors, e => Assert.StartsWith("/containers/main/variables/V", e.Pointer));
    }

    [Fact]
    public void A_rule_error_in_a_deprecated_list_form_points_at_the_nearest_place_in_the_text()
    {
        const string text = """
            apiVersion: score.dev/v1b1
            metadata:
              name: web
            containers:
              main:
                image: nginx
                files:
                - target: /etc/app.conf
                  content: "${cheese.x}"
            """;

        var error = Assert.Single(WorkloadLoader.Load(text, WorkloadRules.Default).Errors);

        Assert.Equal("/containers/main/files/~1etc~1app.conf/content", error.Pointer);
        Assert.Equal(new SourcePosition(7, 5), error.Position);
    }
}
