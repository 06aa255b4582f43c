using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Paddock.Persistence;

namespace Paddock.Migrations;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting a host.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<PaddockDbContext>
{
    public PaddockDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PaddockDbContext>();
        DbSetup.Configure(options, Environment.GetEnvironmentVariable("ConnectionStrings__PaddockOwner")
            ?? "Host=127.0.0.1;Database=paddock_design;Username=postgres");
        return new PaddockDbContext(options.Options);
    }
}
