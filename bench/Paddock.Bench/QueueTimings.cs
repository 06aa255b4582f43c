using Npgsql;

namespace Paddock.Bench;

/// <summary>Splits each deployment's "queued → started" into its three legs, read from the database: the rest of the
/// API request up to Hangfire's enqueue (the job row's creation), Hangfire's pick-up (enqueue → its Processing state:
/// the "enqueue-to-start of a deploy job"), and the job's own start (Processing → the deployment's startedAt:
/// the environment lock and the Queued → Deploying transaction). Same machine, same clock.</summary>
public static class QueueTimings
{
    public sealed record Legs(List<double> ApiToEnqueue, List<double> EnqueueToProcessing, List<double> ProcessingToStarted);

    public static async Task<Legs> ReadAsync(string connectionString, IReadOnlyCollection<Guid> deploymentIds)
    {
        var legs = new Legs([], [], []);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT extract(epoch FROM j.createdat - d.queued_at) * 1000,
                   extract(epoch FROM p.createdat - j.createdat) * 1000,
                   extract(epoch FROM d.started_at - p.createdat) * 1000
            FROM deployments d
            JOIN hangfire.job j ON j.invocationdata::json ->> 'Arguments' LIKE '%' || d.id::text || '%'
            JOIN LATERAL (SELECT s.createdat FROM hangfire.state s WHERE s.jobid = j.id AND s.name = 'Processing'
                          ORDER BY s.id LIMIT 1) p ON true
            WHERE d.id = ANY(@ids) AND d.started_at IS NOT NULL
            """, connection);
        command.Parameters.AddWithValue("ids", deploymentIds.ToArray());
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            legs.ApiToEnqueue.Add(reader.GetDouble(0));
            legs.EnqueueToProcessing.Add(reader.GetDouble(1));
            legs.ProcessingToStarted.Add(reader.GetDouble(2));
        }
        return legs;
    }
}
