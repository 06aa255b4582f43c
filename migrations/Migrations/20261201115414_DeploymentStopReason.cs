using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Paddock.Migrations.Migrations
{
    /// <summary>One definition of "must this deployment stop?", read by the deploy job between its steps and by the
    /// edge switch's own statement (which refuses to point traffic at a deployment that must stop). The body is in
    /// SQL-standard form, so Postgres records what it reads: a later migration cannot drop or retype those columns
    /// without dealing with this function. It is a RETURN, not BEGIN ATOMIC: Npgsql would split that at its
    /// semicolons.</summary>
    public partial class DeploymentStopReason : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION deployment_stop_reason(deployment uuid) RETURNS text LANGUAGE sql STABLE
                RETURN (
                  SELECT CASE
                           WHEN e.id IS NULL OR e.status = 'Deleting' OR e.deleted_at IS NOT NULL THEN 'environment-deleted'
                           WHEN d.cancel_requested_at IS NOT NULL THEN 'cancel-requested'
                         END
                  FROM (SELECT deployment_stop_reason.deployment AS id) AS wanted
                  LEFT JOIN deployments AS d ON d.id = wanted.id
                  LEFT JOIN environments AS e ON e.id = d.environment_id)
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS deployment_stop_reason(uuid);");
        }
    }
}
