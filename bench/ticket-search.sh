#!/usr/bin/env bash
# The app bar's ticket search (SearchQueries.TicketMatches: a key prefix OR a title substring, ILIKE) on 200,000
# tickets in 4 teams, without and with the trigram indexes of TicketConfiguration, in a throwaway database.
# Needs a Postgres superuser connection in PADDOCK_TEST_PG (default: a cluster on 127.0.0.1:55432).
#   bench/ticket-search.sh [tickets, default 200000]
set -euo pipefail
N="${1:-200000}"
PG="${PADDOCK_TEST_PG:-Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres}"
host=$(sed -E 's/.*Host=([^;]+).*/\1/' <<<"$PG"); port=$(sed -E 's/.*Port=([^;]+).*/\1/' <<<"$PG"); user=$(sed -E 's/.*Username=([^;]+).*/\1/' <<<"$PG")
db="ticket_search_bench_$$"
psql_() { psql -h "$host" -p "$port" -U "$user" -v ON_ERROR_STOP=1 -qAt "$@"; }
psql_ -d postgres -c "CREATE DATABASE $db"
trap 'psql_ -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null' EXIT
psql_ -d "$db" <<SQL
CREATE EXTENSION pg_trgm;
CREATE TABLE teams (id uuid PRIMARY KEY, name text NOT NULL);
CREATE TABLE tickets (id uuid PRIMARY KEY, team_id uuid NOT NULL REFERENCES teams, key varchar(64) NOT NULL, title varchar(300));
INSERT INTO teams SELECT gen_random_uuid(), 'team-' || i FROM generate_series(1, 4) i;
INSERT INTO tickets
SELECT gen_random_uuid(), (SELECT id FROM teams ORDER BY name OFFSET (i % 4) LIMIT 1),
       'PRJ' || (i % 40) || '-' || i,
       initcap(md5(i::text)) || ' ' || (ARRAY['refund','checkout','invoice','login','search','export'])[1 + i % 6] || ' ' || md5((i * 7)::text)
FROM generate_series(1, $N) i;
CREATE UNIQUE INDEX ix_tickets_team_id_key ON tickets (team_id, key);
CREATE INDEX ix_tickets_key ON tickets (key);
ANALYZE;
SQL
team=$(psql_ -d "$db" -c "SELECT id FROM teams ORDER BY name LIMIT 1")
query() { # $1: text, $2: team filter (SQL)
  cat <<SQL
SELECT t.key, t.title, t0.name FROM tickets AS t JOIN teams AS t0 ON t.team_id = t0.id
WHERE $2 AND (t.key ILIKE '$1%' ESCAPE '\\' OR (t.title IS NOT NULL AND t.title ILIKE '%$1%' ESCAPE '\\'))
ORDER BY CASE WHEN t.key ILIKE '$1%' ESCAPE '\\' THEN 0 ELSE 1 END, t.key LIMIT 12
SQL
}
measure() { # $1: label
  for text in prj7-12 refund zzzq; do
    for scope in "true" "t.team_id = ANY (ARRAY['$team']::uuid[])"; do
      psql_ -d "$db" -c "$(query "$text" "$scope")" >/dev/null   # warm
      ms=$(for i in 1 2 3 4 5; do psql_ -d "$db" -c "EXPLAIN (ANALYZE, FORMAT JSON) $(query "$text" "$scope")" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["Execution Time"])'; done | sort -n | sed -n 3p)
      printf '  %-16s %-6s %-9s median of 5: %8.2f ms\n' "$1" "$([ "$scope" = true ] && echo all || echo 1team)" "'$text'" "$ms"
    done
  done
}
echo "ticket search on $N tickets in 4 teams (Postgres $(psql_ -d "$db" -c 'SHOW server_version'))"
measure "without trigram"
psql_ -d "$db" -c "CREATE INDEX ix_tickets_key_trgm ON tickets USING gin (key gin_trgm_ops); CREATE INDEX ix_tickets_title_trgm ON tickets USING gin (title gin_trgm_ops); ANALYZE"
measure "with trigram"
