using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Paddock.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class Deployments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Per-environment event numbering: one row per environment, incremented under its row lock, so numbers
            // have no gaps and commit in order (a stream that resumes after N never misses N+1).
            migrationBuilder.Sql("""
                CREATE TABLE environment_event_counters (
                    environment_id uuid PRIMARY KEY,
                    last_sequence bigint NOT NULL);
                """);

            migrationBuilder.AddColumn<int>(
                name: "last_revision",
                table: "environments",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "deployments",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    environment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    application_id = table.Column<Guid>(type: "uuid", nullable: false),
                    revision = table.Column<int>(type: "integer", nullable: false),
                    snapshot = table.Column<string>(type: "jsonb", nullable: false),
                    image_digest = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    triggered_by_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    triggered_by_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    tickets = table.Column<string[]>(type: "text[]", nullable: false),
                    message = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    redeploy_of = table.Column<Guid>(type: "uuid", nullable: true),
                    idempotency_key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    failure_reason = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: true),
                    queued_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    started_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    finished_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    worker_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    heartbeat_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    cancel_requested_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_deployments", x => x.id);
                    table.ForeignKey(
                        name: "fk_deployments_environments_environment_id",
                        column: x => x.environment_id,
                        principalTable: "environments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "edge_routes",
                columns: table => new
                {
                    environment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    host = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    deployment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    upstreams = table.Column<string[]>(type: "text[]", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    applied_version = table.Column<long>(type: "bigint", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_edge_routes", x => x.environment_id);
                    table.ForeignKey(
                        name: "fk_edge_routes_environments_environment_id",
                        column: x => x.environment_id,
                        principalTable: "environments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "environment_events",
                columns: table => new
                {
                    environment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    deployment_id = table.Column<Guid>(type: "uuid", nullable: true),
                    phase = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    level = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    message = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_environment_events", x => new { x.environment_id, x.sequence });
                    table.ForeignKey(
                        name: "fk_environment_events_environments_environment_id",
                        column: x => x.environment_id,
                        principalTable: "environments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_deployments_application_id",
                table: "deployments",
                column: "application_id");

            migrationBuilder.CreateIndex(
                name: "ix_deployments_environment_id_idempotency_key",
                table: "deployments",
                columns: new[] { "environment_id", "idempotency_key" },
                unique: true,
                filter: "idempotency_key IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_deployments_environment_id_revision",
                table: "deployments",
                columns: new[] { "environment_id", "revision" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_deployments_status",
                table: "deployments",
                column: "status",
                filter: "status IN ('Queued', 'Deploying')");

            migrationBuilder.CreateIndex(
                name: "ix_edge_routes_host",
                table: "edge_routes",
                column: "host",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_environment_events_deployment_id",
                table: "environment_events",
                column: "deployment_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE environment_event_counters;");

            migrationBuilder.DropTable(
                name: "deployments");

            migrationBuilder.DropTable(
                name: "edge_routes");

            migrationBuilder.DropTable(
                name: "environment_events");

            migrationBuilder.DropColumn(
                name: "last_revision",
                table: "environments");
        }
    }
}
