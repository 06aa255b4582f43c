using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using Paddock.Domain.Resources;
using Paddock.Provisioners.External;
using Paddock.Testing;

namespace Paddock.Provisioners.Tests.External;

/// <summary>The external provisioner protocol, driven against sh scripts the tests write.</summary>
[SupportedOSPlatform("linux")]
public sealed class ExternalProvisionerTests : IDisposable
{
    private const string ClassSecret = "class-secret-789";
    private readonly ScriptProvisioners _scripts = new();
    private readonly ExternalProvisioner _provisioner = new("mongodb");

    public void Dispose() => _scripts.Dispose();

    [Fact]
    public async Task Provision_sends_the_request_as_json_on_stdin_and_answers_the_scripts_values_secrets_and_state()
    {
        var requestFile = Path.Combine(_scripts.Directory, "request.json");
        var path = _scripts.Write("mongo", $$"""
            echo "$1" > '{{_scripts.Directory}}/argument'
            cat > '{{requestFile}}'
            echo '{"values":{"host":"db.internal","port":"27017"},"secrets":{"password":"p4ss"},"state":"v1"}'
            """);
        var request = NewRequest(path) with { Params = new JsonObject { ["size"] = "small" }, State = "v0" };

        var outcome = await _provisioner.ProvisionAsync(request, CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Failure);
        Assert.Equal(new Dictionary<string, string> { ["host"] = "db.internal", ["port"] = "27017" }, outcome.Values);
        Assert.Equal(new Dictionary<string, string> { ["password"] = "p4ss" }, outcome.Secrets);
        Assert.Equal("v1", outcome.State);
        Assert.Equal("provision", File.ReadAllText(Path.Combine(_scripts.Directory, "argument")).Trim());
        var sent = JsonNode.Parse(File.ReadAllText(requestFile))!.AsObject();
        Assert.Equal(1, (int)sent["protocol"]!);
        Assert.Equal("provision", (string?)sent["operation"]);
        Assert.Equal(request.Uid, (string?)sent["uid"]);
        Assert.Equal(request.ResourceId, (string?)sent["resourceId"]);
        Assert.Equal(request.EnvironmentId.ToString(), (string?)sent["environmentId"]);
        Assert.Equal("mongodb", (string?)sent["type"]);
        Assert.Equal("shared", (string?)sent["class"]);
        Assert.Equal("small", (string?)sent["params"]!["size"]);
        Assert.Equal("v0", (string?)sent["state"]);
        Assert.Equal(path, (string?)sent["classSettings"]!["values"]!["path"]);
        Assert.Equal("eu-1", (string?)sent["classSettings"]!["values"]!["region"]);
        Assert.Equal(ClassSecret, (string?)sent["classSettings"]!["secrets"]!["token"]);
    }

    [Fact]
    public async Task Observe_answers_present_or_missing_with_the_scripts_reason()
    {
        var present = _scripts.Write("present", "cat >/dev/null; echo '{\"present\":true}'");
        var missing = _scripts.Write("missing", "cat >/dev/null; echo '{\"present\":false,\"reason\":\"bucket b1 is gone\"}'");

        var found = await _provisioner.ObserveAsync(NewRequest(present), CancellationToken.None);
        var gone = await _provisioner.ObserveAsync(NewRequest(missing), CancellationToken.None);

        Assert.Equal(ResourcePresence.Present, found.Presence);
        Assert.Equal(new ResourceObservation(ResourcePresence.Missing, "bucket b1 is gone"), gone);
    }

    [Fact]
    public async Task Deprovision_passes_the_snapshot_directory_and_answers_the_snapshot_path()
    {
        var path = _scripts.Write("remove", """
            dir=$(sed -n 's/.*"snapshotDirectory":"\([^"]*\)".*/\1/p')
            printf '{"snapshotPath":"%s/dump.tar"}\n' "$dir"
            """);

        var outcome = await _provisioner.DeprovisionAsync(new DeprovisionRequest(NewRequest(path), "/var/backups/x"), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Failure);
        Assert.Equal("/var/backups/x/dump.tar", outcome.SnapshotPath);
    }

    [Fact]
    public async Task An_error_answer_fails_with_its_reason_and_the_class_secrets_blanked()
    {
        var path = _scripts.Write("quota", $"cat >/dev/null; echo '{{\"error\":\"quota reached for token {ClassSecret}\"}}'");

        var outcome = await _provisioner.ProvisionAsync(NewRequest(path), CancellationToken.None);

        Assert.Equal("the mongodb provisioner of class shared provision failed: quota reached for token ***", outcome.Failure);
    }

    [Fact]
    public async Task A_non_zero_exit_fails_with_the_first_line_of_stderr_redacted()
    {
        var path = _scripts.Write("crash", $$$"""
            cat >/dev/null
            echo "login with {{{ClassSecret}}} refused" >&2
            echo "second line" >&2
            echo '{"values":{}}'
            exit 3
            """);

        var outcome = await _provisioner.ProvisionAsync(NewRequest(path), CancellationToken.None);

        Assert.Equal("the mongodb provisioner of class shared provision exited with code 3: login with *** refused", outcome.Failure);
    }

    [Fact]
    public async Task Output_that_is_not_the_protocols_json_fails_without_repeating_the_output()
    {
        var garbage = _scripts.Write("garbage", "cat >/dev/null; echo 'password=hunter2 ok'");
        var wrongShape = _scripts.Write("shape", "cat >/dev/null; echo '{\"values\":{\"port\":27017}}'");
        var misspelt = _scripts.Write("misspelt", "cat >/dev/null; echo '{\"secret\":{\"password\":\"hunter2\"}}'");

        foreach (var path in new[] { garbage, wrongShape, misspelt })
        {
            var outcome = await _provisioner.ProvisionAsync(NewRequest(path), CancellationToken.None);
            Assert.StartsWith("the mongodb provisioner of class shared provision answered something other than the protocol's JSON object",
                outcome.Failure, StringComparison.Ordinal);
            Assert.DoesNotContain("hunter2", outcome.Failure, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_provisioner_that_runs_past_its_timeout_is_killed_with_its_children()
    {
        var pids = Path.Combine(_scripts.Directory, "pids");
        var path = _scripts.Write("slow", $"""
            cat >/dev/null
            sleep 60 &
            echo "$$ $!" > '{pids}'
            wait
            """);
        var request = NewRequest(path, timeoutSeconds: 1);
        var clock = Stopwatch.StartNew();

        var outcome = await _provisioner.ProvisionAsync(request, CancellationToken.None);

        Assert.Equal("the mongodb provisioner of class shared provision did not answer within 1 s and was killed", outcome.Failure);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        foreach (var pid in File.ReadAllText(pids).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            await Eventually.HoldsAsync(() => !ProcessRuns(int.Parse(pid, CultureInfo.InvariantCulture)), $"process {pid} ended", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task The_provisioner_does_not_see_the_workers_environment()
    {
        var path = _scripts.Write("env", "cat >/dev/null; printf '{\"values\":{\"home\":\"%s\",\"path\":\"%s\"}}' \"${HOME:-unset}\" \"$PATH\"");
        Assert.NotNull(Environment.GetEnvironmentVariable("HOME"));

        var outcome = await _provisioner.ProvisionAsync(NewRequest(path), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Failure);
        Assert.Equal("unset", outcome.Values["home"]);
        Assert.Contains("/usr/bin", outcome.Values["path"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_executable_that_cannot_start_is_a_clear_failure()
    {
        var outcome = await _provisioner.ProvisionAsync(NewRequest(Path.Combine(_scripts.Directory, "nothing-here")), CancellationToken.None);

        Assert.StartsWith("the mongodb provisioner of class shared provision could not be started", outcome.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_documented_example_provisions_observes_and_deprovisions_a_directory()
    {
        var example = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "directory-provisioner.sh"));
        var root = Path.Combine(_scripts.Directory, "dirs");
        var request = NewRequest(example);
        request = request with { Class = request.Class with { Values = new Dictionary<string, string>(request.Class.Values) { ["root"] = root } } };
        var directory = Path.Combine(root, request.Uid);

        var provisioned = await _provisioner.ProvisionAsync(request, CancellationToken.None);
        Assert.True(provisioned.Succeeded, provisioned.Failure);
        Assert.Equal(directory, provisioned.Values["path"]);
        Assert.True(Directory.Exists(directory));
        Assert.Equal(ResourcePresence.Present, (await _provisioner.ObserveAsync(request, CancellationToken.None)).Presence);

        var removed = await _provisioner.DeprovisionAsync(new DeprovisionRequest(request, null), CancellationToken.None);
        Assert.True(removed.Succeeded, removed.Failure);
        Assert.False(Directory.Exists(directory));
        Assert.Equal(ResourcePresence.Missing, (await _provisioner.ObserveAsync(request, CancellationToken.None)).Presence);
    }

    [Fact]
    public void A_class_needs_an_absolute_executable_path_and_a_timeout_in_seconds()
    {
        var notExecutable = Path.Combine(_scripts.Directory, "plain");
        File.WriteAllText(notExecutable, "#!/bin/sh\n");
        File.SetUnixFileMode(notExecutable, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Assert.Empty(_provisioner.ValidateClass(Class(_scripts.Write("ok", "exit 0"), 30)));
        Assert.Equal(["path"], _provisioner.ValidateClass(Class("relative/script", 30)).Keys);
        Assert.Equal(["path"], _provisioner.ValidateClass(Class(Path.Combine(_scripts.Directory, "missing"), 30)).Keys);
        Assert.Equal(["path"], _provisioner.ValidateClass(Class(notExecutable, 30)).Keys);
        Assert.Equal(["timeout"], _provisioner.ValidateClass(Class(_scripts.Write("ok2", "exit 0"), 0)).Keys);
    }

    private static bool ProcessRuns(int pid)
    {
        // A killed child of a killed parent may linger as a zombie until reaped: that is not running.
        var stat = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat";
        return File.Exists(stat) && !File.ReadAllText(stat).Split(' ')[2].Equals("Z", StringComparison.Ordinal);
    }

    private static ProvisionRequest NewRequest(string path, int timeoutSeconds = 20)
    {
        var environment = Guid.NewGuid();
        const string resourceId = "mongodb.shared#web.db";
        return new ProvisionRequest
        {
            EnvironmentId = environment,
            ResourceId = resourceId,
            Uid = ResourceUid.For(environment, resourceId),
            Class = Class(path, timeoutSeconds),
        };
    }

    private static ResourceClassSettings Class(string path, int timeoutSeconds) => new("mongodb", "shared",
        new Dictionary<string, string>
        {
            ["path"] = path,
            ["timeout"] = timeoutSeconds.ToString(CultureInfo.InvariantCulture),
            ["region"] = "eu-1",
        },
        new Dictionary<string, string> { ["token"] = ClassSecret });
}
