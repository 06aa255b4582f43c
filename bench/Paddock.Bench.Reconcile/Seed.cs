using Npgsql;
using Paddock.Domain.Backends;

namespace Paddock.Bench.Reconcile;

/// <summary>N running environments (one team, one application), each with a succeeded current deployment of one or
/// two replicas, written by the database itself (generate_series), and the world that matches them.</summary>
public static class Seed
{
    public const string Image = "localhost/paddock-demo:1";

    public static string Sql(int size) => $"""
        CREATE TEMP TABLE seed AS
            SELECT i, gen_random_uuid() AS environment_id, gen_random_uuid() AS deployment_id FROM generate_series(1, {size}) AS i;
        INSERT INTO teams (id, name, display_name, created_at) VALUES ('00000000-0000-0000-0000-00000000be01', 'bench', 'Bench', now());
        INSERT INTO applications (id, name, team_id, description, image, port, replicas, variables, created_at,
                                  health_check_interval_seconds, health_check_kind, health_check_path, health_check_timeout_seconds)
            VALUES ('00000000-0000-0000-0000-00000000be02', 'bench', '00000000-0000-0000-0000-00000000be01', '', '{Image}', 8080, 1, '{"{}"}',
                    now(), 5, 'Http', '/', 30);
        INSERT INTO environments (id, application_id, name, resource_name, stage, backend, variable_overrides, status, url,
                                  health, sync, created_by, created_at, last_revision, self_heal)
            SELECT environment_id, '00000000-0000-0000-0000-00000000be02', 'e' || i, 'bench-e' || i, 'Development', 'matching', '{"{}"}',
                   'Running', 'http://bench-e' || i || '.localhost:5090/', 'Healthy', 'InSync', 'bench', now(), 1, true
            FROM seed;
        INSERT INTO deployments (id, environment_id, application_id, revision, snapshot, triggered_by_id, triggered_by_name, tickets,
                                 status, queued_at, started_at, finished_at)
            SELECT deployment_id, environment_id, '00000000-0000-0000-0000-00000000be02', 1,
                   jsonb_build_object('image', '{Image}', 'replicas', 1 + i % 2, 'port', 8080),
                   'bench', 'bench', '{"{}"}', 'Succeeded', now(), now(), now()
            FROM seed;
        UPDATE environments e SET current_deployment_id = s.deployment_id FROM seed s WHERE e.id = s.environment_id;
        ANALYZE environments;
        ANALYZE deployments;
        """;

    /// <summary>What a matching engine would report: each deployment's replicas, running its image.</summary>
    public static async Task<IReadOnlyDictionary<Guid, ObservedState>> ObservedAsync(string connectionString)
    {
        var world = new Dictionary<Guid, ObservedState>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT e.id, d.id, e.resource_name, (d.snapshot ->> 'replicas')::int FROM environments e JOIN deployments d ON d.id = e.current_deployment_id",
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var (environmentId, deploymentId, resource, replicas) = (reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetInt32(3));
            world[environmentId] = new ObservedState(environmentId, Enumerable.Range(1, replicas)
                .Select(n => new ObservedInstance($"{resource}-{n}", $"{resource}-{n}", deploymentId, Image, InstanceState.Running, null,
                    new HostEndpoint("127.0.0.1", 40000 + n), new Dictionary<string, string>()))
                .ToList());
        }
        return world;
    }
}
