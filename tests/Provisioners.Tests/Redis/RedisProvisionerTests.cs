using System.Globalization;
using Paddock.Domain.Resources;
using Paddock.Provisioners.Redis;
using Paddock.Testing;
using StackExchange.Redis;

namespace Paddock.Provisioners.Tests.Redis;

/// <summary>The redis provisioner on the real redis-server test.sh starts: what the provisioned user can and cannot
/// do is checked by logging in as it.</summary>
public sealed class RedisProvisionerTests
{
    private readonly RedisProvisioner _provisioner = new();

    [Fact]
    public async Task A_provisioned_user_reads_and_writes_under_its_prefix_and_is_refused_elsewhere()
    {
        var request = NewRequest();
        var outcome = await ProvisionAsync(request);
        var prefix = outcome.Values["prefix"];
        Assert.Equal(request.Uid + ":", prefix);

        await using var user = await ConnectAsUserAsync(outcome);
        var db = user.GetDatabase();
        await db.StringSetAsync(prefix + "greeting", "hello");
        Assert.Equal("hello", (string?)await db.StringGetAsync(prefix + "greeting"));

        var outside = await Assert.ThrowsAsync<RedisServerException>(() => db.StringSetAsync("elsewhere", "x"));
        Assert.StartsWith("NOPERM", outside.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<RedisServerException>(() => db.StringGetAsync(NewRequest().Uid + ":greeting"));
    }

    [Theory]
    [InlineData("CONFIG", "GET", "*")]
    [InlineData("FLUSHALL")]
    [InlineData("FLUSHDB")]
    [InlineData("KEYS", "*")]
    [InlineData("SCAN", "0")]
    [InlineData("ACL", "LIST")]
    [InlineData("SWAPDB", "0", "1")]
    [InlineData("CLIENT", "LIST")]
    [InlineData("BGSAVE")]
    [InlineData("SHUTDOWN", "NOSAVE")]
    public async Task A_provisioned_user_is_refused_admin_and_dangerous_commands(string command, params string[] arguments)
    {
        var outcome = await ProvisionAsync(NewRequest());
        await using var user = await ConnectAsUserAsync(outcome);

        var refused = await Assert.ThrowsAsync<RedisServerException>(
            () => user.GetDatabase().ExecuteAsync(command, arguments.Cast<object>().ToArray()));
        Assert.StartsWith("NOPERM", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_provisioned_user_publishes_only_on_channels_under_its_prefix()
    {
        var outcome = await ProvisionAsync(NewRequest());
        await using var user = await ConnectAsUserAsync(outcome);
        var db = user.GetDatabase();

        await db.PublishAsync(RedisChannel.Literal(outcome.Values["prefix"] + "news"), "hi");
        var refused = await Assert.ThrowsAsync<RedisServerException>(
            () => db.PublishAsync(RedisChannel.Literal("news"), "hi"));
        Assert.StartsWith("NOPERM", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Provisioning_again_with_the_state_answers_the_same_user_and_password_and_keeps_its_keys()
    {
        var request = NewRequest();
        var first = await ProvisionAsync(request);
        await using (var user = await ConnectAsUserAsync(first))
            await user.GetDatabase().StringSetAsync(first.Values["prefix"] + "kept", "1");

        var second = await ProvisionAsync(request with { State = first.State });

        Assert.Equal(first.Values, second.Values);
        Assert.Equal(first.Secrets, second.Secrets);
        await using var again = await ConnectAsUserAsync(second);
        Assert.Equal("1", (string?)await again.GetDatabase().StringGetAsync(first.Values["prefix"] + "kept"));
    }

    [Fact]
    public async Task Provisioning_again_after_a_crash_lost_the_state_is_the_same_user_with_a_new_working_password()
    {
        var request = NewRequest();
        var first = await ProvisionAsync(request);

        var second = await ProvisionAsync(request);

        Assert.Equal(first.Values["username"], second.Values["username"]);
        Assert.NotEqual(first.Secrets["password"], second.Secrets["password"]);
        await using var user = await ConnectAsUserAsync(second);
        await user.GetDatabase().StringSetAsync(second.Values["prefix"] + "k", "v");
        Assert.Equal(1, await CountUsersAsync(request.Uid));
    }

    [Fact]
    public async Task The_url_output_logs_in_as_the_user()
    {
        var outcome = await ProvisionAsync(NewRequest());
        var url = new Uri(outcome.Secrets["url"]);
        Assert.Equal("redis", url.Scheme);
        Assert.Equal(RedisTestServer.Port, url.Port);
        Assert.Equal($"{outcome.Values["username"]}:{outcome.Secrets["password"]}", Uri.UnescapeDataString(url.UserInfo));
        Assert.Equal(RedisTestServer.Host, outcome.Values["host"]);
        Assert.Equal(RedisTestServer.Port.ToString(CultureInfo.InvariantCulture), outcome.Values["port"]);
    }

    [Fact]
    public async Task Deprovisioning_removes_every_key_of_the_prefix_in_every_database_and_the_user()
    {
        var request = NewRequest();
        var outcome = await ProvisionAsync(request);
        var prefix = outcome.Values["prefix"];
        await using (var user = await ConnectAsUserAsync(outcome))
        {
            // More keys than one SCAN page, and some in another logical database.
            var batch = user.GetDatabase().CreateBatch();
            var writes = Enumerable.Range(0, 1200).Select(i => batch.StringSetAsync($"{prefix}key{i}", i)).ToList();
            batch.Execute();
            await Task.WhenAll(writes);
            await user.GetDatabase(3).StringSetAsync(prefix + "elsewhere", "x");
        }
        var neighbour = NewRequest();
        var neighbourOutcome = await ProvisionAsync(neighbour);
        await using (var other = await ConnectAsUserAsync(neighbourOutcome))
            await other.GetDatabase().StringSetAsync(neighbourOutcome.Values["prefix"] + "stays", "1");

        var removed = await _provisioner.DeprovisionAsync(new DeprovisionRequest(request, null), CancellationToken.None);

        Assert.True(removed.Succeeded, removed.Failure);
        await using var admin = await ConnectAsAdminAsync();
        Assert.Equal(0, await CountKeysAsync(admin, prefix));
        Assert.Equal(0, await CountUsersAsync(request.Uid));
        Assert.Equal(1, await CountKeysAsync(admin, neighbourOutcome.Values["prefix"]));
        Assert.Equal(ResourcePresence.Missing, (await _provisioner.ObserveAsync(request, CancellationToken.None)).Presence);
    }

    [Fact]
    public async Task Deprovisioning_what_is_already_gone_succeeds()
    {
        var request = NewRequest();
        await ProvisionAsync(request);
        Assert.True((await _provisioner.DeprovisionAsync(new DeprovisionRequest(request, null), CancellationToken.None)).Succeeded);

        var again = await _provisioner.DeprovisionAsync(new DeprovisionRequest(request, null), CancellationToken.None);

        Assert.True(again.Succeeded, again.Failure);
    }

    [Fact]
    public async Task Observing_finds_a_provisioned_user_and_misses_one_removed_by_hand()
    {
        var request = NewRequest();
        await ProvisionAsync(request);
        Assert.Equal(ResourcePresence.Present, (await _provisioner.ObserveAsync(request, CancellationToken.None)).Presence);

        await using (var admin = await ConnectAsAdminAsync())
            await admin.GetDatabase().ExecuteAsync("ACL", "DELUSER", request.Uid);

        var observed = await _provisioner.ObserveAsync(request, CancellationToken.None);
        Assert.Equal(ResourcePresence.Missing, observed.Presence);
        Assert.Contains(request.Uid, observed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_is_down_fails_clearly_without_a_password_in_the_reason()
    {
        var port = LoopbackPort.Free();
        var request = NewRequest() with { Class = ClassSettings(port: port, password: "admin-secret-123") };

        var provisioned = await _provisioner.ProvisionAsync(request, CancellationToken.None);
        var observed = await _provisioner.ObserveAsync(request, CancellationToken.None);
        var removed = await _provisioner.DeprovisionAsync(new DeprovisionRequest(request, null), CancellationToken.None);

        Assert.False(provisioned.Succeeded);
        Assert.Contains($"127.0.0.1:{port} cannot be reached", provisioned.Failure, StringComparison.Ordinal);
        Assert.Equal(ResourcePresence.Unknown, observed.Presence);
        Assert.False(removed.Succeeded);
        foreach (var reason in new[] { provisioned.Failure, observed.Reason, removed.Failure })
            Assert.DoesNotContain("admin-secret-123", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_admin_credentials_fail_clearly_without_the_password_in_the_reason()
    {
        var request = NewRequest() with { Class = ClassSettings(password: "not-the-password-456") };

        var outcome = await _provisioner.ProvisionAsync(request, CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Contains("refused the class's admin user", outcome.Failure, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password-456", outcome.Failure, StringComparison.Ordinal);
        Assert.Equal(0, await CountUsersAsync(request.Uid));
    }

    [Fact]
    public void A_class_needs_host_port_username_and_the_password_secret()
    {
        var errors = _provisioner.ValidateClass(new ResourceClassSettings("redis", "broken",
            new Dictionary<string, string> { ["port"] = "70000" }, new Dictionary<string, string>()));

        Assert.Equal(["host", "password", "port", "username"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(_provisioner.ValidateClass(ClassSettings()));
    }

    [Fact]
    public async Task A_class_with_a_container_host_answers_it_in_host_and_url()
    {
        var request = NewRequest();
        var settings = request.Class with { Values = new Dictionary<string, string>(request.Class.Values) { ["containerHost"] = "host.containers.internal" } };

        var outcome = await ProvisionAsync(request with { Class = settings });

        Assert.Equal("host.containers.internal", outcome.Values["host"]);
        Assert.StartsWith($"redis://{outcome.Values["username"]}:", outcome.Secrets["url"]);
        Assert.EndsWith($"@host.containers.internal:{RedisTestServer.Port}/0", outcome.Secrets["url"]);
        Assert.Empty(_provisioner.ValidateClass(settings));
        await _provisioner.DeprovisionAsync(new DeprovisionRequest(request, null), CancellationToken.None);
    }

    [Fact]
    public void A_redis_resource_takes_no_params()
    {
        Assert.Empty(_provisioner.ValidateParams(null));
        Assert.Equal(["/size"], _provisioner.ValidateParams(new() { ["size"] = 1 }).Keys);
    }

    private async Task<ProvisionOutcome> ProvisionAsync(ProvisionRequest request)
    {
        var outcome = await _provisioner.ProvisionAsync(request, CancellationToken.None);
        Assert.True(outcome.Succeeded, outcome.Failure);
        return outcome;
    }

    private static ProvisionRequest NewRequest()
    {
        var environment = Guid.NewGuid();
        const string resourceId = "redis.default#web.cache";
        return new ProvisionRequest
        {
            EnvironmentId = environment,
            ResourceId = resourceId,
            Uid = ResourceUid.For(environment, resourceId),
            Class = ClassSettings(),
        };
    }

    private static ResourceClassSettings ClassSettings(int? port = null, string? password = null) => new("redis", "default",
        new Dictionary<string, string>
        {
            ["host"] = RedisTestServer.Host,
            ["port"] = (port ?? RedisTestServer.Port).ToString(CultureInfo.InvariantCulture),
            ["username"] = RedisTestServer.AdminUser,
        },
        new Dictionary<string, string> { ["password"] = password ?? RedisTestServer.AdminPassword });

    private static Task<ConnectionMultiplexer> ConnectAsUserAsync(ProvisionOutcome outcome) =>
        ConnectAsync(outcome.Values["username"], outcome.Secrets["password"]);

    private static Task<ConnectionMultiplexer> ConnectAsAdminAsync() =>
        ConnectAsync(RedisTestServer.AdminUser, RedisTestServer.AdminPassword);

    private static Task<ConnectionMultiplexer> ConnectAsync(string user, string password) =>
        ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
        {
            EndPoints = { { RedisTestServer.Host, RedisTestServer.Port } },
            User = user,
            Password = password,
            AbortOnConnectFail = true,
            // Lets admin commands reach the server, so that the server (not the client) is what refuses them.
            AllowAdmin = true,
        });

    private static async Task<int> CountKeysAsync(ConnectionMultiplexer admin, string prefix)
    {
        var server = admin.GetServer(admin.GetEndPoints()[0]);
        var count = 0;
        for (var database = 0; database < 16; database++)
            await foreach (var _ in server.KeysAsync(database, prefix + "*")) count++;
        return count;
    }

    private static async Task<int> CountUsersAsync(string name)
    {
        await using var admin = await ConnectAsAdminAsync();
        var users = (string[])(await admin.GetDatabase().ExecuteAsync("ACL", "USERS"))!;
        return users.Count(u => u == name);
    }
}
