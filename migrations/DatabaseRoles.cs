namespace Paddock.Migrations;

/// <summary>The group role whose members the portal and workers log in as. It owns nothing, so the
/// privileges granted here are all it has: in particular no UPDATE, DELETE or TRUNCATE on the audit trail.</summary>
public static class DatabaseRoles
{
    public const string App = "paddock_app";
}
