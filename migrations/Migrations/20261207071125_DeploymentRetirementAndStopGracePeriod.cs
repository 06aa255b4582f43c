using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Paddock.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class DeploymentRetirementAndStopGracePeriod : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "overrides_stop_grace_period_seconds",
                table: "environments",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "retired_at",
                table: "deployments",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "retiring_since",
                table: "deployments",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "stop_grace_period_seconds",
                table: "applications",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_deployments_retiring_since",
                table: "deployments",
                column: "retiring_since",
                filter: "retiring_since IS NOT NULL AND retired_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_deployments_retiring_since",
                table: "deployments");

            migrationBuilder.DropColumn(
                name: "overrides_stop_grace_period_seconds",
                table: "environments");

            migrationBuilder.DropColumn(
                name: "retired_at",
                table: "deployments");

            migrationBuilder.DropColumn(
                name: "retiring_since",
                table: "deployments");

            migrationBuilder.DropColumn(
                name: "stop_grace_period_seconds",
                table: "applications");
        }
    }
}
