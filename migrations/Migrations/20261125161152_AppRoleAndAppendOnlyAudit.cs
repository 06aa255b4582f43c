using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Paddock.Migrations.Migrations
{
    /// <summary>The application's group role and its privileges, and the audit trail's append-only guards:
    /// the role may only SELECT and INSERT audit events, and triggers refuse UPDATE, DELETE and TRUNCATE
    /// even for roles that have the privilege.</summary>
    public partial class AppRoleAndAppendOnlyAudit : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                DO $$
                BEGIN
                  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{DatabaseRoles.App}') THEN
                    CREATE ROLE {DatabaseRoles.App} NOLOGIN;
                  END IF;
                END $$;

                GRANT USAGE ON SCHEMA public TO {DatabaseRoles.App};
                GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {DatabaseRoles.App};
                GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {DatabaseRoles.App};
                -- Tables and sequences that later migrations create get the same privileges.
                ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {DatabaseRoles.App};
                ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {DatabaseRoles.App};

                REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM {DatabaseRoles.App};
                REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM PUBLIC;
                REVOKE ALL ON "__EFMigrationsHistory" FROM {DatabaseRoles.App};
                GRANT SELECT ON "__EFMigrationsHistory" TO {DatabaseRoles.App};

                CREATE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
                END $fn$;

                CREATE TRIGGER audit_events_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_events
                  FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();
                CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
                  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events;
                DROP TRIGGER IF EXISTS audit_events_no_update_or_delete ON audit_events;
                DROP FUNCTION IF EXISTS audit_events_refuse_change();
                """);
        }
    }
}
