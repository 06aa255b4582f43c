using Paddock.Workloads.Source;
using Paddock.Workloads.Validation;
using static Paddock.Workloads.Tests.TestSupport;

namespace Paddock.Workloads.Tests;

/// <summary>
/// Invalid workloads fail with an error at the right place. The cases are score-go's schema tests
/// (schema/schema_test.go, whose test document this is) and its loader's rules (loader/validate_test.go), each
/// written as an edit of the document; the expected position is where the edit's marker lands in the text.
/// </summary>
public class WorkloadValidationTests
{
    private const string Document = """
        apiVersion: score.dev/v1b1
        metadata:
          name: hello-world
        service:
          ports:
            www:
              port: 80
              targetPort: 8080
        containers:
          hello:
            image: busybox
            command:
            - "/bin/echo"
            args:
            - "Hello $(FRIEND)"
            variables:
              FRIEND: World!
            files:
              /etc/hello-world/config.yaml:
                mode: "666"
                content: "${resources.env.APP_CONFIG}"
              /etc/hello-world/binary:
                mode: "755"
                binaryContent: "aGVsbG8="
            volumes:
              /mnt/data:
                source: ${resources.data}
                path: sub/path
                readOnly: true
            resources:
              limits:
                memory: "128Mi"
                cpu: "500m"
              requests:
                memory: "64Mi"
                cpu: "250m"
            livenessProbe:
              httpGet:
                path: /alive
                port: 8080
              exec:
                command:
                - echo
                - hello
            readinessProbe:
              httpGet:
                path: /ready
                port: 8080
                httpHeaders:
                - name: Custom-Header
                  value: Awesome
        resources:
          env:
            type: environment
          dns:
            type: dns
            class: sensitive
          data:
            type: volume
          db:
            type: postgres
            class: large
            metadata:
              annotations:
                "my.org/version": "0.1"
            params: {
              extensions: {
                uuid-ossp: {
                  schema: "uuid_schema",
                  version: "1.1"
                }
              }
            }

        """;

    private static readonly WorkloadRules AllTypes = AnyType("dns", "volume", "postgres");

    [Fact]
    public void The_test_document_is_valid()
    {
        Assert.Empty(WorkloadLoader.Load(Document, AllTypes).Errors);
    }

    /// <summary>Each case: the text to replace, its replacement, the pointer of the error, and the text the error points at.</summary>
    public static TheoryData<string, string, string, string, string> SchemaCases() => new()
    {
        { "apiVersion is missing", "apiVersion: score.dev/v1b1\n", "", "", "metadata:" },
        { "apiVersion is not set", "apiVersion: score.dev/v1b1", "apiVersion: null", "/apiVersion", "null" },
        { "apiVersion is not a string", "apiVersion: score.dev/v1b1", "apiVersion: 12", "/apiVersion", "12" },
        { "apiVersion is another version", "apiVersion: score.dev/v1b1", "apiVersion: score.dev/v2", "/apiVersion", "score.dev/v2" },
        { "metadata.name is required", "  name: hello-world", "  other: hello-world", "/metadata", "metadata:" },
        { "metadata.name is not a string", "name: hello-world", "name: 12", "/metadata/name", "12" },
        { "metadata.name is not a DNS label", "name: hello-world", "name: Hello_World", "/metadata/name", "Hello_World" },
        { "service is not set", "service:\n  ports:\n    www:\n      port: 80\n      targetPort: 8080\n", "service: null\n", "/service", "null" },
        { "service.ports is not set", "  ports:\n    www:\n      port: 80\n      targetPort: 8080\n", "  ports: null\n", "/service/ports", "null" },
        { "service.ports.* is not set", "    www:\n      port: 80\n      targetPort: 8080\n", "    www: null\n", "/service/ports/www", "null" },
        { "service.ports.*.port is missing", "      port: 80\n", "", "/service/ports/www", "www:" },
        { "service.ports.*.port is not a number", "port: 80", "port: false", "/service/ports/www/port", "false" },
        { "service.ports.*.port is zero", "port: 80", "port: 0", "/service/ports/www/port", "0" },
        { "service.ports.*.port is above 65535", "port: 80", "port: 65536", "/service/ports/www/port", "65536" },
        { "service.ports.*.targetPort is not a number", "targetPort: 8080", "targetPort: false", "/service/ports/www/targetPort", "false" },
        { "service.ports.*.protocol is unknown", "targetPort: 8080", "targetPort: 8080\n      protocol: SCTP", "/service/ports/www/protocol", "SCTP" },
        { "a port name is not a DNS label", "    www:", "    Www:", "/service/ports/Www", "Www:" },
        { "containers is missing", "containers:\n  hello:\n", "other:\n  hello:\n", "", "apiVersion" },
        { "containers is empty", "containers:\n  hello:\n    image: busybox\n", "containers: {}\nx:\n  hello:\n    image: busybox\n", "/containers", "containers:" },
        { "a container name is not a DNS label", "  hello:", "  Hello_World:", "/containers/Hello_World", "Hello_World:" },
        { "containers.*.image is missing", "    image: busybox\n", "", "/containers/hello", "hello:" },
        { "containers.*.image is not set", "image: busybox", "image: null", "/containers/hello/image", "null" },
        { "containers.*.image is not a string", "image: busybox", "image: 12", "/containers/hello/image", "12" },
        { "containers.*.command is not set", "    command:\n    - \"/bin/echo\"\n", "    command: null\n", "/containers/hello/command", "null" },
        { "containers.*.args is not set", "    args:\n    - \"Hello $(FRIEND)\"\n", "    args: null\n", "/containers/hello/args", "null" },
        { "containers.*.variables.* is not set", "FRIEND: World!", "FRIEND: null", "/containers/hello/variables/FRIEND", "null" },
        { "containers.*.variables.* is not a string", "FRIEND: World!", "FRIEND: 12", "/containers/hello/variables/FRIEND", "12" },
        { "containers.*.files.*.mode is not a string", "mode: \"666\"", "mode: 12", "/containers/hello/files/~1etc~1hello-world~1config.yaml/mode", "12" },
        { "containers.*.files.*.mode is not octal", "mode: \"666\"", "mode: \"999\"", "/containers/hello/files/~1etc~1hello-world~1config.yaml/mode", "\"999\"" },
        { "containers.*.files.*.content is missing", "        content: \"${resources.env.APP_CONFIG}\"\n", "", "/containers/hello/files/~1etc~1hello-world~1config.yaml", "/etc/hello-world/config.yaml:" },
        { "containers.*.files.*.source is empty", "content: \"${resources.env.APP_CONFIG}\"", "source: \"\"", "/containers/hello/files/~1etc~1hello-world~1config.yaml/source", "\"\"" },
        { "containers.*.files.*.source is not a string", "content: \"${resources.env.APP_CONFIG}\"", "source: 5", "/containers/hello/files/~1etc~1hello-world~1config.yaml/source", "5" },
        { "containers.*.files.*.binaryContent is an object", "binaryContent: \"aGVsbG8=\"", "binaryContent: {}", "/containers/hello/files/~1etc~1hello-world~1binary/binaryContent", "binaryContent: {}" },
        { "containers.*.files.*.noExpand is not a boolean", "content: \"${resources.env.APP_CONFIG}\"", "content: x\n        noExpand: 5", "/containers/hello/files/~1etc~1hello-world~1config.yaml/noExpand", "5" },
        { "containers.*.files.*.content is not a string", "content: \"${resources.env.APP_CONFIG}\"", "content: 5", "/containers/hello/files/~1etc~1hello-world~1config.yaml/content", "5" },
        { "containers.*.files.*.content is an array of strings", "content: \"${resources.env.APP_CONFIG}\"", "content: [\"Line 1\", \"Line 2\"]", "/containers/hello/files/~1etc~1hello-world~1config.yaml/content", "content: [" },
        { "containers.*.files.*.content and source are both set", "content: \"${resources.env.APP_CONFIG}\"", "content: x\n        source: y", "/containers/hello/files/~1etc~1hello-world~1config.yaml", "/etc/hello-world/config.yaml:" },
        { "containers.*.volumes.*.source is missing", "        source: ${resources.data}\n", "", "/containers/hello/volumes/~1mnt~1data", "/mnt/data:" },
        { "containers.*.volumes.*.source is not a string", "source: ${resources.data}", "source: 12", "/containers/hello/volumes/~1mnt~1data/source", "12" },
        { "containers.*.volumes.*.path is not a string", "path: sub/path", "path: 12", "/containers/hello/volumes/~1mnt~1data/path", "12" },
        { "containers.*.volumes.*.readOnly is not a boolean", "readOnly: true", "readOnly: 12", "/containers/hello/volumes/~1mnt~1data/readOnly", "12" },
        { "containers.*.resources.limits.memory is not a string", "memory: \"128Mi\"", "memory: 12", "/containers/hello/resources/limits/memory", "12" },
        { "containers.*.resources.limits.memory is not a quantity", "memory: \"128Mi\"", "memory: lots", "/containers/hello/resources/limits/memory", "lots" },
        { "containers.*.resources.requests.cpu is not a string", "cpu: \"250m\"", "cpu: 12", "/containers/hello/resources/requests/cpu", "12" },
        { "containers.*.before.*.ready is invalid", "    image: busybox\n", "    image: busybox\n    before:\n      other:\n        ready: running\n", "/containers/hello/before/other/ready", "running" },
        { "containers.*.before.*.ready is missing", "    image: busybox\n", "    image: busybox\n    before:\n      other: {}\n", "/containers/hello/before/other", "other:" },
        { "containers.*.livenessProbe has neither httpGet nor exec", "    livenessProbe:\n      httpGet:\n        path: /alive\n        port: 8080\n      exec:\n        command:\n        - echo\n        - hello\n", "    livenessProbe: {}\n", "/containers/hello/livenessProbe", "livenessProbe:" },
        { "containers.*.livenessProbe.httpGet.path is missing", "        path: /alive\n", "", "/containers/hello/livenessProbe/httpGet", "httpGet:" },
        { "containers.*.readinessProbe.httpGet.scheme is unknown", "        path: /ready\n", "        path: /ready\n        scheme: FTP\n", "/containers/hello/readinessProbe/httpGet/scheme", "FTP" },
        { "containers.*.readinessProbe.httpGet.httpHeaders.*.name is not valid", "- name: Custom-Header", "- name: Custom Header", "/containers/hello/readinessProbe/httpGet/httpHeaders/0/name", "Custom Header" },
        { "containers.*.readinessProbe.httpGet.httpHeaders.*.value is missing", "          value: Awesome\n", "", "/containers/hello/readinessProbe/httpGet/httpHeaders/0", "name: Custom-Header" },
        { "containers.* has an unknown property", "    image: busybox\n", "    image: busybox\n    imagePullPolicy: Always\n", "/containers/hello/imagePullPolicy", "imagePullPolicy" },
        { "resources.*.type is missing", "    type: postgres\n", "", "/resources/db", "db:" },
        { "resources.*.type is not a string", "type: postgres", "type: 12", "/resources/db/type", "12" },
        { "resources.*.class is not valid", "class: large", "class: \"cl@ss?\"", "/resources/db/class", "\"cl@ss?\"" },
        { "resources.*.metadata.annotations.* is not a string", "\"my.org/version\": \"0.1\"", "\"my.org/version\": 12", "/resources/db/metadata/annotations/my.org~1version", "12" },
        { "resources.*.params is not an object", "    params: {\n      extensions: {\n        uuid-ossp: {\n          schema: \"uuid_schema\",\n          version: \"1.1\"\n        }\n      }\n    }\n", "    params: 12\n", "/resources/db/params", "12" },
    };

    [Theory]
    [MemberData(nameof(SchemaCases))]
    public void A_workload_that_breaks_the_schema_fails_at_the_place_it_breaks(string name, string find, string replace, string pointer, string at)
    {
        Assert.Contains(find, Document);
        var text = Document.Replace(find, replace);

        var result = WorkloadLoader.Load(text, AllTypes);

        Assert.False(result.IsValid, name);
        var matching = result.Errors.Where(e => e.Pointer == pointer).ToList();
        Assert.True(matching.Count == 1, string.Join("\n", result.Errors));
        Assert.Equal(PositionOf(text, at, before: Document.IndexOf(find, StringComparison.Ordinal) + replace.Length), matching[0].Position);
        Assert.False(string.IsNullOrWhiteSpace(matching[0].Message));
    }

    public static TheoryData<string, string, string, string, string> RuleCases() => new()
    {
        { "a resource placeholder names no resource", "FRIEND: World!", "FRIEND: ${resources.res-one.value}", "/containers/hello/variables/FRIEND", "does not resolve" },
        { "a placeholder has an unknown root", "FRIEND: World!", "FRIEND: ${cheese.res-one.value}", "/containers/hello/variables/FRIEND", "unknown placeholder root \"cheese\"" },
        { "a placeholder has one element", "FRIEND: World!", "FRIEND: ${resources}", "/containers/hello/variables/FRIEND", "malformed" },
        { "a placeholder has spaces", "FRIEND: World!", "FRIEND: ${resources.env.this has spaces!}", "/containers/hello/variables/FRIEND", "malformed" },
        { "a file content names no resource", "content: \"${resources.env.APP_CONFIG}\"", "content: \"${resources.nope.x}\"", "/containers/hello/files/~1etc~1hello-world~1config.yaml/content", "no resource named \"nope\"" },
        { "a volume source names no resource", "source: ${resources.data}", "source: ${resources.another}", "/containers/hello/volumes/~1mnt~1data/source", "no resource named \"another\"" },
        { "a resource param names no resource", "schema: \"uuid_schema\"", "schema: \"${resources.ghost.name}\"", "/resources/db/params/extensions/uuid-ossp/schema", "no resource named \"ghost\"" },
        { "a container starts before one that does not exist", "    image: busybox\n", "    image: busybox\n    before:\n      nonexistent:\n        ready: started\n", "/containers/hello/before/nonexistent", "no container named \"nonexistent\"" },
        { "a container starts before itself", "    image: busybox\n", "    image: busybox\n    before:\n      hello:\n        ready: started\n", "/containers/hello/before/hello", "before itself" },
        { "binary content is not base64", "binaryContent: \"aGVsbG8=\"", "binaryContent: \"not base64!\"", "/containers/hello/files/~1etc~1hello-world~1binary/binaryContent", "base64" },
        { "resources depend on each other in a cycle", "    type: volume\n", "    type: volume\n    params:\n      db: ${resources.db.name}\n", "/resources/data/params", "cycle: data → db → data" },
    };

    [Theory]
    [MemberData(nameof(RuleCases))]
    public void A_workload_that_breaks_a_rule_fails_with_the_reason(string name, string find, string replace, string pointer, string message)
    {
        Assert.Contains(find, Document);
        var text = Document.Replace(find, replace);
        if (name.Contains("cycle")) text = text.Replace("schema: \"uuid_schema\"", "schema: \"${resources.data.name}\"");

        var result = WorkloadLoader.Load(text, AllTypes);

        var error = Assert.Single(result.Errors);
        Assert.Equal(pointer, error.Pointer);
        Assert.Contains(message.Replace("does not resolve", "no resource named \"res-one\""), error.Message);
        Assert.NotNull(error.Position);
    }

    [Fact]
    public void Placeholders_that_are_escaped_or_not_expanded_are_not_checked()
    {
        var text = Document
            .Replace("FRIEND: World!", "FRIEND: \"Escaped $${resources.no-exists.value}\"")
            .Replace("content: \"${resources.env.APP_CONFIG}\"", "content: \"${this is invalid}\"\n        noExpand: true");

        Assert.Empty(WorkloadLoader.Load(text, AllTypes).Errors);
    }

    [Fact]
    public void All_errors_are_reported_at_once_in_document_order()
    {
        var text = Document
            .Replace("name: hello-world", "name: 12")
            .Replace("port: 80", "port: 0")
            .Replace("image: busybox", "image: 12")
            .Replace("type: postgres", "type: 7");

        var errors = WorkloadLoader.Load(text, AllTypes).Errors;

        Assert.Equal(["/metadata/name", "/service/ports/www/port", "/containers/hello/image", "/resources/db/type"],
            errors.Select(e => e.Pointer));
    }

    [Fact]
    public void Rule_errors_are_all_reported_together()
    {
        var text = Document
            .Replace("FRIEND: World!", "FRIEND: ${cheese.x}")
            .Replace("binaryContent: \"aGVsbG8=\"", "binaryContent: \"!!\"");

        var errors = WorkloadLoader.Load(text, WorkloadRules.Default).Errors;

        Assert.Equal(
            ["/containers/hello/variables/FRIEND", "/containers/hello/files/~1etc~1hello-world~1binary/binaryContent",
             "/resources/dns/type", "/resources/data/type", "/resources/db/type"],
            errors.Select(e => e.Pointer));
    }

    [Fact]
    public void Containers_that_wait_for_each_other_in_a_cycle_are_refused()
    {
        const string text = """
            apiVersion: score.dev/v1b1
            metadata:
              name: cycle
            containers:
              aa:
                image: img
                before:
                  bb: { ready: started }
              bb:
                image: img
                before:
                  cc: { ready: started }
              cc:
                image: img
                before:
                  aa: { ready: healthy }
            """;

        var error = Assert.Single(WorkloadLoader.Load(text, WorkloadRules.Default).Errors);
        Assert.Equal("/containers", error.Pointer);
        Assert.Contains("cycle", error.Message);
        Assert.Equal(new SourcePosition(4, 1), error.Position);
    }

    [Fact]
    public void A_resource_type_Paddock_cannot_provision_is_refused_with_that_reason()
    {
        var error = Assert.Single(WorkloadLoader.Load(Document, AnyType("dns", "volume")).Errors);

        Assert.Equal("/resources/db/type", error.Pointer);
        Assert.Equal("Paddock cannot provision resources of type \"postgres\" (it can provision: dns, environment, volume).", error.Message);
        Assert.Equal(PositionOf(Document, "postgres"), error.Position);
    }

    /// <summary>
    /// Where <paramref name="marker"/> last occurs in <paramref name="text"/> before <paramref name="before"/>
    /// (the end of the edit: the marker is in the edit, or is the key above it), else where it first occurs.
    /// </summary>
    private static SourcePosition PositionOf(string text, string marker, int before = 0)
    {
        var index = before > 0 ? text.LastIndexOf(marker, before - 1, StringComparison.Ordinal) : -1;
        if (index < 0) index = text.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(index >= 0, $"marker {marker} not in the text");
        var line = text[..index].Count(c => c == '\n') + 1;
        var column = index - (text.LastIndexOf('\n', Math.Max(index - 1, 0)) is var nl && nl >= 0 && nl < index ? nl + 1 : 0) + 1;
        return new SourcePosition(line, column);
    }
}
