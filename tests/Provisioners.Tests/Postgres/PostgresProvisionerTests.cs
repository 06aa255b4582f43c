using Npgsql;
using Paddock.Domain.Resources;
using Paddock.Provisioners.Postgres;
using Paddock.Testing;

namespace Paddock.Provisioners.Tests.Postgres;

/// <summary>The postgres provisioner against the real server ./test.sh starts (PADDOCK_TEST_PG), as its admin.</summary>
public sealed class PostgresProvisionerTests : IAsyncLifetime
{
    private readonly PostgresProvisioner _provisioner = new(TimeProvider.System);
    private readonly List<ProvisionRequest> _made = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var request in _made) await _provisioner.DeprovisionAsync(new DeprovisionRequest(request, null), CancellationToken.None);
    }

    [Fact]
    public async Task Provisioning_makes_a_database_owned_by_its_own_role_and_answers_its_outputs()
    {
        var request = NewRequest();
        var outcome = await _provisioner.ProvisionAsync(request, CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Failure);
        Assert.Equal(request.Uid, outcome.Values["database"]);
        Assert.Equal(request.Uid, outcome.Values["name"]);
        Assert.Equal(request.Uid, outcome.Values["username"]);
        Assert.Equal(Admin.Host, outcome.Values["host"]);
        Assert.Equal(Admin.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), outcome.Values["port"]);
        Assert.DoesNotContain("password", outcome.Values.Keys);
        Assert.Equal(["password", "url"], outcome.Secrets.Keys.Order());
        Assert.Equal($"postgresql://{request.Uid}:{outcome.Secrets["password"]}@{Admin.Host}:{Admin.Port}/{request.Uid}", outcome.Secrets["url"]);
        Assert.Equal(request.Uid, await ScalarAsync($"SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '{request.Uid}'"));

        // The role works in its own database.
        await using var own = new NpgsqlConnection(AsRole(request.Uid, outcome.Secrets["password"], request.Uid));
        await own.OpenAsync();
        await using (var create = new NpgsqlCommand("CREATE TABLE notes (text text); INSERT INTO notes VALUES ('hello')", own)) await create.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task A_class_with_a_container_host_provisions_through_its_host_and_answers_the_container_host_in_host_and_url()
    {
        var request = NewRequest();
        request = request with
        {
            Class = request.Class with { Values = new Dictionary<string, string>(request.Class.Values) { ["containerHost"] = "host.containers.internal" } },
        };

        var outcome = await _provisioner.ProvisionAsync(request, CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Failure);
        Assert.Equal("host.containers.internal", outcome.Values["host"]);
        Assert.Equal($"postgresql://{request.Uid}:{outcome.Secrets["password"]}@host.containers.internal:{Admin.Port}/{request.Uid}", outcome.Secrets["url"]);
        Assert.Empty(_provisioner.ValidateClass(request.Class));
        var bad = request.Class with { Values = new Dictionary<string, string>(request.Class.Values) { ["containerHost"] = "http://x:1/" } };
        Assert.Equal(["containerHost"], _provisioner.ValidateClass(bad).Keys);
    }

    [Fact]
    public async Task A_role_cannot_connect_to_another_resources_database()
    {
        var first = NewRequest();
        var second = NewRequest();
        var firstOutcome = await _provisioner.ProvisionAsync(first, CancellationToken.None);
        Assert.True((await _provisioner.ProvisionAsync(second, CancellationToken.None)).Succeeded);

        await using var intruder = new NpgsqlConnection(AsRole(first.Uid, firstOutcome.Secrets["password"], second.Uid));
        var refused = await Assert.ThrowsAsync<PostgresException>(() => intruder.OpenAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    [Fact]
    public async Task Provisioning_again_with_its_state_changes_nothing_and_keeps_the_password()
    {
        var request = NewRequest();
        var first = await _provisioner.ProvisionAsync(request, CancellationToken.None);
        var again = await _provisioner.ProvisionAsync(request with { State = first.State }, CancellationToken.None);

        Assert.True(again.Succeeded, again.Failure);
        Assert.Equal(first.Values, again.Values);
        Assert.Equal(first.Secrets, again.Secrets);
        Assert.Equal("1", await ScalarAsync($"SELECT count(*)::text FROM pg_database WHERE datname = '{request.Uid}'"));
    }

    [Fact]
    public async Task A_provision_killed_after_making_the_role_is_finished_by_the_next_attempt()
    {
        var request = NewRequest();
        // What an attempt that died between its two steps leaves: the role, no database, no state stored.
        await ScalarAsync($"CREATE ROLE {request.Uid} LOGIN PASSWORD 'left-over'");

        var outcome = await _provisioner.ProvisionAsync(request, CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Failure);
        Assert.Equal(request.Uid, await ScalarAsync($"SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '{request.Uid}'"));
        Assert.Equal(ResourcePresence.Present, (await _provisioner.ObserveAsync(request, CancellationToken.None)).Presence);
    }

    [Fact]
    public async Task Deprovisioning_ends_open_sessions_drops_database_and_role_and_is_done_when_already_gone()
    {
        var request = NewRequest();
        var outcome = await _provisioner.ProvisionAsync(request, CancellationToken.None);
        await using var session = new NpgsqlConnection(AsRole(request.Uid, outcome.Secrets["password"], request.Uid));
        await session.OpenAsync();

        var removed = await _provisioner.DeprovisionAsync(new DeprovisionRequest(request, null), CancellationToken.None);

        Assert.True(removed.Succeeded, removed.Failure);
        Assert.Null(await ScalarAsync($"SELECT datname::text FROM pg_database WHERE datname = '{request.Uid}'"));
        Assert.Null(await ScalarAsync($"SELECT rolname::text FROM pg_roles WHERE rolname = '{request.Uid}'"));
        Assert.Equal(ResourcePresence.Missing, (await _provisioner.ObserveAsync(request, CancellationToken.None)).Presence);
        Assert.True((await _provisioner.DeprovisionAsync(new DeprovisionRequest(request, null), CancellationToken.None)).Succeeded);
    }

    [Fact]
    public async Task Deprovisioning_with_a_snapshot_directory_dumps_the_data_first()
    {
        var request = NewRequest();
        var outcome = await _provisioner.ProvisionAsync(request, CancellationToken.None);
        await using (var own = new NpgsqlConnection(AsRole(request.Uid, outcome.Secrets["password"], request.Uid)))
        {
            await own.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE notes (text text); INSERT INTO notes VALUES ('kept in the dump')", own);
            await create.ExecuteNonQueryAsync();
        }
        var directory = Path.Combine(Path.GetTempPath(), "paddock-snapshots-" + Guid.NewGuid().ToString("N"));
        try
        {
            var removed = await _provisioner.DeprovisionAsync(new DeprovisionRequest(request, directory), CancellationToken.None);

            Assert.True(removed.Succeeded, removed.Failure);
            Assert.NotNull(removed.SnapshotPath);
            Assert.StartsWith(directory, removed.SnapshotPath);
            Assert.Contains("kept in the dump", await RestoredScriptAsync(removed.SnapshotPath!));
            Assert.Null(await ScalarAsync($"SELECT datname::text FROM pg_database WHERE datname = '{request.Uid}'"));
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_backup_restored_brings_back_rows_deleted_since_and_what_it_restores_belongs_to_the_resources_role()
    {
        var request = NewRequest();
        var outcome = await _provisioner.ProvisionAsync(request, CancellationToken.None);
        var asOwner = AsRole(request.Uid, outcome.Secrets["password"], request.Uid);
        await ExecuteAsync(asOwner, "CREATE TABLE notes (text text); INSERT INTO notes VALUES ('first'), ('second')");
        var directory = Path.Combine(Path.GetTempPath(), "paddock-backups-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (path, failure) = await _provisioner.BackupAsync(request, directory, CancellationToken.None);
            Assert.Null(failure);
            Assert.True(new FileInfo(path!).Length > 0);
            await ExecuteAsync(asOwner, "DELETE FROM notes; INSERT INTO notes VALUES ('written after the backup')");

            Assert.Null(await _provisioner.RestoreAsync(request, path!, CancellationToken.None));

            await using var own = new NpgsqlConnection(asOwner);
            await own.OpenAsync();
            await using var read = new NpgsqlCommand("SELECT string_agg(text, ',' ORDER BY text) FROM notes", own);
            Assert.Equal("first,second", await read.ExecuteScalarAsync());
            await using var owner = new NpgsqlCommand("SELECT tableowner::text FROM pg_tables WHERE tablename = 'notes'", own);
            Assert.Equal(request.Uid, await owner.ExecuteScalarAsync());
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Restoring_a_file_that_is_no_dump_fails_with_a_reason_and_keeps_the_data()
    {
        var request = NewRequest();
        var outcome = await _provisioner.ProvisionAsync(request, CancellationToken.None);
        var asOwner = AsRole(request.Uid, outcome.Secrets["password"], request.Uid);
        await ExecuteAsync(asOwner, "CREATE TABLE notes (text text); INSERT INTO notes VALUES ('kept')");
        var bogus = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(bogus, "not a dump");
            var failure = await _provisioner.RestoreAsync(request, bogus, CancellationToken.None);
            Assert.StartsWith($"pg_restore into database {request.Uid} failed", failure);
            await using var own = new NpgsqlConnection(asOwner);
            await own.OpenAsync();
            await using var read = new NpgsqlCommand("SELECT text FROM notes", own);
            Assert.Equal("kept", await read.ExecuteScalarAsync());
        }
        finally
        {
            File.Delete(bogus);
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task A_server_that_is_down_fails_with_a_reason_naming_the_class_and_server()
    {
        var port = LoopbackPort.Free();
        var request = NewRequest() with { Class = ClassFor("127.0.0.1", port) };

        var outcome = await _provisioner.ProvisionAsync(request, CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Contains($"class 'test' (127.0.0.1:{port}) cannot be reached", outcome.Failure);
        Assert.Equal(ResourcePresence.Unknown, (await _provisioner.ObserveAsync(request, CancellationToken.None)).Presence);
        Assert.False((await _provisioner.DeprovisionAsync(new DeprovisionRequest(request, null), CancellationToken.None)).Succeeded);
    }

    [Fact]
    public void A_class_without_host_port_or_admin_is_refused_by_setting()
    {
        var errors = _provisioner.ValidateClass(new ResourceClassSettings("postgres", "shared",
            new Dictionary<string, string> { ["port"] = "99999", ["colour"] = "blue" }, new Dictionary<string, string> { ["token"] = "x" }));

        Assert.Equal(["colour", "database", "host", "port", "token", "username"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(_provisioner.ValidateClass(ClassFor("db.internal", 5432)));
    }

    [Fact]
    public void A_postgres_resource_takes_no_params()
    {
        Assert.Empty(_provisioner.ValidateParams(null));
        Assert.Equal(["/size"], _provisioner.ValidateParams(new System.Text.Json.Nodes.JsonObject { ["size"] = "large" }).Keys);
    }

    private static NpgsqlConnectionStringBuilder Admin => new(PostgresServer.SuperuserConnectionString);

    private static ResourceClassSettings ClassFor(string host, int port) => new("postgres", "test",
        new Dictionary<string, string> { ["host"] = host, ["port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["username"] = Admin.Username!, ["database"] = "postgres" },
        Admin.Password is { } password ? new Dictionary<string, string> { ["password"] = password } : new Dictionary<string, string>());

    private ProvisionRequest NewRequest()
    {
        var environment = Guid.NewGuid();
        var request = new ProvisionRequest
        {
            EnvironmentId = environment,
            ResourceId = "postgres.test#web.db",
            Uid = ResourceUid.For(environment, "postgres.test#web.db"),
            Class = ClassFor(Admin.Host!, Admin.Port),
        };
        _made.Add(request);
        return request;
    }

    private static string AsRole(string role, string password, string database) =>
        new NpgsqlConnectionStringBuilder(PostgresServer.SuperuserConnectionString)
            { Username = role, Password = password, Database = database, Pooling = false }.ConnectionString;

    /// <summary>The dump as the SQL script pg_restore would run (the custom format is compressed).</summary>
    private static async Task<string> RestoredScriptAsync(string dump)
    {
        using var restore = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("pg_restore")
            { ArgumentList = { "--file", "-", dump }, RedirectStandardOutput = true })!;
        var script = await restore.StandardOutput.ReadToEndAsync();
        await restore.WaitForExitAsync();
        return script;
    }

    private static async Task<string?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(PostgresServer.SuperuserConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync() as string;
    }
}
