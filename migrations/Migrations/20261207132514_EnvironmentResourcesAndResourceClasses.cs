using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Paddock.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class EnvironmentResourcesAndResourceClasses : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "environment_resources",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    environment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    type = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    @class = table.Column<string>(name: "class", type: "character varying(63)", maxLength: 63, nullable: false),
                    resource_id = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    uid = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    reason = table.Column<string>(type: "text", nullable: true),
                    values = table.Column<string>(type: "jsonb", nullable: false),
                    protected_secrets = table.Column<string>(type: "jsonb", nullable: false),
                    protected_state = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_environment_resources", x => x.id);
                    table.ForeignKey(
                        name: "fk_environment_resources_environments_environment_id",
                        column: x => x.environment_id,
                        principalTable: "environments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "resource_classes",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    type = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    name = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    values = table.Column<string>(type: "jsonb", nullable: false),
                    protected_secrets = table.Column<string>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    created_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_resource_classes", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_environment_resources_environment_id_uid",
                table: "environment_resources",
                columns: new[] { "environment_id", "uid" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_environment_resources_type_class",
                table: "environment_resources",
                columns: new[] { "type", "class" });

            migrationBuilder.CreateIndex(
                name: "ix_resource_classes_type_name",
                table: "resource_classes",
                columns: new[] { "type", "name" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "environment_resources");

            migrationBuilder.DropTable(
                name: "resource_classes");
        }
    }
}
