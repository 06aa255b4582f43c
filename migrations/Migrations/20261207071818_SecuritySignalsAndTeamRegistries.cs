using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Paddock.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class SecuritySignalsAndTeamRegistries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string[]>(
                name: "allowed_registries",
                table: "teams",
                type: "text[]",
                nullable: true);

            // Payload-free wake-ups (Paddock.Persistence.Events.DatabaseSignal): whoever holds a long-lived connection
            // or the audit checkpoint looks again. Triggers, so that every path that changes these rows signals.
            migrationBuilder.Sql("""
                CREATE FUNCTION paddock_signal_credentials_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('credentials_changed', '');
                    RETURN NULL;
                END $$;
                CREATE TRIGGER users_credentials_changed
                    AFTER UPDATE OF security_stamp, is_disabled ON "AspNetUsers" FOR EACH ROW
                    WHEN (OLD.security_stamp IS DISTINCT FROM NEW.security_stamp OR OLD.is_disabled IS DISTINCT FROM NEW.is_disabled)
                    EXECUTE FUNCTION paddock_signal_credentials_changed();
                CREATE TRIGGER users_deleted AFTER DELETE ON "AspNetUsers" FOR EACH STATEMENT
                    EXECUTE FUNCTION paddock_signal_credentials_changed();
                CREATE TRIGGER api_tokens_revoked
                    AFTER UPDATE OF revoked_at, expires_at ON api_tokens FOR EACH ROW
                    WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.expires_at IS DISTINCT FROM NEW.expires_at)
                    EXECUTE FUNCTION paddock_signal_credentials_changed();
                CREATE TRIGGER api_tokens_deleted AFTER DELETE ON api_tokens FOR EACH STATEMENT
                    EXECUTE FUNCTION paddock_signal_credentials_changed();

                CREATE FUNCTION paddock_signal_audit_appended() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('audit_appended', '');
                    RETURN NULL;
                END $$;
                CREATE TRIGGER audit_events_appended AFTER INSERT ON audit_events FOR EACH STATEMENT
                    EXECUTE FUNCTION paddock_signal_audit_appended();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER audit_events_appended ON audit_events;
                DROP FUNCTION paddock_signal_audit_appended();
                DROP TRIGGER api_tokens_deleted ON api_tokens;
                DROP TRIGGER api_tokens_revoked ON api_tokens;
                DROP TRIGGER users_deleted ON "AspNetUsers";
                DROP TRIGGER users_credentials_changed ON "AspNetUsers";
                DROP FUNCTION paddock_signal_credentials_changed();
                """);
            migrationBuilder.DropColumn(
                name: "allowed_registries",
                table: "teams");
        }
    }
}
