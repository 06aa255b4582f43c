namespace Paddock.Bench.Delivery;

/// <summary>One team with 20 apps, each with a development, staging and production environment; a year of
/// deployments (every ~10 minutes, rotating over the environments, one in 17 failed) carrying 20,000 tickets, each
/// created an hour before its first commit. Written by the database itself (generate_series).</summary>
public static class Seed
{
    public const string Team = "bench";
    public static readonly Guid TeamId = Guid.Parse("00000000-0000-0000-0000-00000000be01");
    public static readonly DateTime Start = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static string Sql(int deployments, int tickets) => $"""
        INSERT INTO teams (id, name, display_name, created_at) VALUES ('00000000-0000-0000-0000-00000000be01', '{Team}', 'Bench', now());
        CREATE TEMP TABLE bench_apps AS SELECT a, gen_random_uuid() AS id FROM generate_series(1, 20) AS a;
        INSERT INTO applications (id, name, team_id, description, image, port, replicas, variables, created_at,
                                  health_check_interval_seconds, health_check_kind, health_check_path, health_check_timeout_seconds)
            SELECT id, 'app' || a, '00000000-0000-0000-0000-00000000be01', '', 'localhost/paddock-demo:1', 8080, 1, '{"{}"}',
                   now(), 5, 'Http', '/', 30
            FROM bench_apps;
        CREATE TEMP TABLE bench_envs AS
            SELECT a.a, s.n, s.stage, a.id AS application_id, gen_random_uuid() AS id, (a.a - 1) * 3 + s.n AS slot
            FROM bench_apps a CROSS JOIN (VALUES (0, 'Development', 'dev'), (1, 'Staging', 'staging'), (2, 'Production', 'prod')) AS s(n, stage, name);
        INSERT INTO environments (id, application_id, name, resource_name, stage, backend, variable_overrides, status, url,
                                  health, sync, created_by, created_at, last_revision, self_heal)
            SELECT e.id, e.application_id, s.name, 'app' || e.a || '-' || s.name, e.stage, 'docker', '{"{}"}', 'Running', NULL,
                   'Healthy', 'InSync', 'bench', now(), 0, true
            FROM bench_envs e JOIN (VALUES (0, 'dev'), (1, 'staging'), (2, 'prod')) AS s(n, name) ON s.n = e.n;
        INSERT INTO tickets (id, team_id, key, title, url, type, created_at, first_commit_at, source, recorded_at)
            SELECT gen_random_uuid(), '00000000-0000-0000-0000-00000000be01', 'PAY-' || i, 'Ticket ' || i, NULL,
                   CASE i % 20 WHEN 0 THEN 'Bug' WHEN 1 THEN 'Hotfix' ELSE 'Feature' END,
                   timestamptz '{Start:yyyy-MM-dd}' + (i - 1) * interval '365 days' / {tickets} - interval '3 hours',
                   timestamptz '{Start:yyyy-MM-dd}' + (i - 1) * interval '365 days' / {tickets} - interval '2 hours',
                   'bench', now()
            FROM generate_series(1, {tickets}) AS i;
        INSERT INTO deployments (id, environment_id, application_id, revision, snapshot, triggered_by_id, triggered_by_name, tickets,
                                 message, status, queued_at, started_at, finished_at)
            SELECT gen_random_uuid(), e.id, e.application_id, i,
                   jsonb_build_object('image', 'localhost/paddock-demo:1', 'replicas', 1, 'port', 8080),
                   'bench', 'bench', ARRAY['PAY-' || (1 + ((i - 1)::bigint * {tickets}) / {deployments})],
                   CASE WHEN i % 101 = 0 THEN 'fix: follow-up' END,
                   CASE WHEN i % 17 = 0 THEN 'Failed' ELSE 'Succeeded' END,
                   t - interval '5 minutes', t - interval '4 minutes', t
            FROM generate_series(1, {deployments}) AS i
            CROSS JOIN LATERAL (SELECT timestamptz '{Start:yyyy-MM-dd}' + (i - 1) * interval '365 days' / {deployments} AS t) AS at
            JOIN bench_envs e ON e.slot = (i % 60) + 1;
        ANALYZE tickets;
        ANALYZE deployments;
        ANALYZE environments;
        ANALYZE applications;
        """;
}
