using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Paddock.Migrations;

#nullable disable

namespace Paddock.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class WorkloadRevisionsAndPlans : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "plan_id",
                table: "deployments",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "workload_revision_id",
                table: "deployments",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "workload_revisions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    application_id = table.Column<Guid>(type: "uuid", nullable: false),
                    number = table.Column<int>(type: "integer", nullable: false),
                    origin = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    text = table.Column<string>(type: "text", nullable: false),
                    content_hash = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    created_by_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created_by_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_workload_revisions", x => x.id);
                    table.ForeignKey(
                        name: "fk_workload_revisions_applications_application_id",
                        column: x => x.application_id,
                        principalTable: "applications",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "deployment_plans",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    application_id = table.Column<Guid>(type: "uuid", nullable: false),
                    environment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    workload_text = table.Column<string>(type: "text", nullable: false),
                    content_hash = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    summary = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    items = table.Column<string>(type: "jsonb", nullable: false),
                    text = table.Column<string>(type: "text", nullable: false),
                    created_by_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created_by_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    applied_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    deployment_id = table.Column<Guid>(type: "uuid", nullable: true),
                    applied_revision_id = table.Column<Guid>(type: "uuid", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false),
                    base_current_deployment_id = table.Column<Guid>(type: "uuid", nullable: true),
                    base_last_deployment_revision = table.Column<int>(type: "integer", nullable: false),
                    base_revision_hash = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    base_revision_id = table.Column<Guid>(type: "uuid", nullable: false),
                    base_revision_number = table.Column<int>(type: "integer", nullable: false),
                    base_settings_hash = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_deployment_plans", x => x.id);
                    table.ForeignKey(
                        name: "fk_deployment_plans_applications_application_id",
                        column: x => x.application_id,
                        principalTable: "applications",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_deployment_plans_deployments_deployment_id",
                        column: x => x.deployment_id,
                        principalTable: "deployments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_deployment_plans_environments_environment_id",
                        column: x => x.environment_id,
                        principalTable: "environments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_deployment_plans_workload_revisions_applied_revision_id",
                        column: x => x.applied_revision_id,
                        principalTable: "workload_revisions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_deployments_workload_revision_id",
                table: "deployments",
                column: "workload_revision_id");

            migrationBuilder.CreateIndex(
                name: "ix_deployment_plans_application_id",
                table: "deployment_plans",
                column: "application_id");

            migrationBuilder.CreateIndex(
                name: "ix_deployment_plans_applied_revision_id",
                table: "deployment_plans",
                column: "applied_revision_id");

            migrationBuilder.CreateIndex(
                name: "ix_deployment_plans_deployment_id",
                table: "deployment_plans",
                column: "deployment_id");

            migrationBuilder.CreateIndex(
                name: "ix_deployment_plans_environment_id_created_at",
                table: "deployment_plans",
                columns: new[] { "environment_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_workload_revisions_application_id_number",
                table: "workload_revisions",
                columns: new[] { "application_id", "number" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "fk_deployments_workload_revisions_workload_revision_id",
                table: "deployments",
                column: "workload_revision_id",
                principalTable: "workload_revisions",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            // Revisions are immutable: a change is a new revision. The app role may add them, never rewrite them.
            migrationBuilder.Sql($"REVOKE UPDATE, DELETE, TRUNCATE ON workload_revisions FROM {DatabaseRoles.App};");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_deployments_workload_revisions_workload_revision_id",
                table: "deployments");

            migrationBuilder.DropTable(
                name: "deployment_plans");

            migrationBuilder.DropTable(
                name: "workload_revisions");

            migrationBuilder.DropIndex(
                name: "ix_deployments_workload_revision_id",
                table: "deployments");

            migrationBuilder.DropColumn(
                name: "plan_id",
                table: "deployments");

            migrationBuilder.DropColumn(
                name: "workload_revision_id",
                table: "deployments");
        }
    }
}
