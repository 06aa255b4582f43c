using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Paddock.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class AddClusters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "clusters",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    protected_kubeconfig = table.Column<string>(type: "text", nullable: true),
                    in_cluster = table.Column<bool>(type: "boolean", nullable: false),
                    server_url = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    context_name = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: true),
                    ingress_host_pattern = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: true),
                    ingress_class = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: true),
                    storage_class = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: true),
                    pull_server = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    pull_username = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    protected_pull_password = table.Column<string>(type: "text", nullable: true),
                    created_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    deleted_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_clusters", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_clusters_name",
                table: "clusters",
                column: "name",
                unique: true,
                filter: "deleted_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "clusters");
        }
    }
}
