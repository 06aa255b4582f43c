using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Paddock.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class ClusterIngressNamespaceAndDefaultQuota : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "default_quota",
                table: "clusters",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ingress_controller_namespace",
                table: "clusters",
                type: "character varying(63)",
                maxLength: 63,
                nullable: true);

            // Clusters registered before the column existed let the ingress-nginx namespace in, as they keep doing.
            migrationBuilder.Sql("UPDATE clusters SET ingress_controller_namespace = 'ingress-nginx'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "default_quota",
                table: "clusters");

            migrationBuilder.DropColumn(
                name: "ingress_controller_namespace",
                table: "clusters");
        }
    }
}
