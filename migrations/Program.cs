using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Paddock.Migrations;

/// <summary>The one-shot migrator: run before the portal and workers start (./run.sh and docker-compose do).</summary>
internal static class MigratorProgram
{
    public static async Task<int> Main(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
        var logger = loggerFactory.CreateLogger("Paddock.Migrator");

        var owner = configuration.GetConnectionString("PaddockOwner");
        if (string.IsNullOrWhiteSpace(owner))
        {
            logger.LogError("ConnectionStrings:PaddockOwner (env ConnectionStrings__PaddockOwner) must name a role that owns the schema.");
            return 2;
        }
        try
        {
            await Migrator.RunAsync(owner, configuration.GetConnectionString("Paddock"), logger, CancellationToken.None);
            logger.LogInformation("Database is up to date");
            return 0;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Migration failed");
            return 1;
        }
    }
}
