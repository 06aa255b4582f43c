using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Access;
using Paddock.Domain.Audit;
using Paddock.Domain.Resources;
using Paddock.Persistence;
using Paddock.Persistence.Audit;
using Paddock.Persistence.Secrets;
using Paddock.Runtime.Resources;

namespace Paddock.Portal.Features.Resources;

/// <summary>One class from configuration (<c>ResourceClasses:N:Type</c>, <c>:Name</c>, <c>:Values:KEY</c>,
/// <c>:Secrets:KEY</c>), as <c>./run.sh</c> registers its own Postgres cluster as the <c>default</c> postgres class.</summary>
public sealed class SeededResourceClass
{
    public string Type { get; set; } = "";
    public string Name { get; set; } = ResourceClass.DefaultName;
    public Dictionary<string, string> Values { get; set; } = [];
    public Dictionary<string, string> Secrets { get; set; } = [];
}

/// <summary>At portal start, makes the classes configured under <c>ResourceClasses</c> exist with those settings
/// (created, or updated when they differ; audited as <c>system:configuration</c>). A configured class is the
/// configuration's: an admin's change to it is put back at the next start.</summary>
public sealed class ResourceClassSeeder(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<ResourceClassSeeder> logger) : IHostedService
{
    public const string Section = "ResourceClasses";
    private static readonly Actor Seeder = Actor.System("configuration");

    public async Task StartAsync(CancellationToken ct)
    {
        var seeded = configuration.GetSection(Section).Get<List<SeededResourceClass>>() ?? [];
        if (seeded.Count == 0) return;
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<PaddockDbContext>();
        var protector = services.GetRequiredService<SecretProtector>();
        var provisioners = services.GetRequiredService<ResourceProvisioners>();
        var audit = services.GetRequiredService<AuditLog>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        foreach (var wanted in seeded)
        {
            var errors = provisioners.Find(wanted.Type)?.ValidateClass(new ResourceClassSettings(wanted.Type, wanted.Name, wanted.Values, wanted.Secrets));
            if (errors is null || errors.Count > 0)
            {
                logger.LogError("Configured resource class {Type}/{Name} is not used: {Errors}", wanted.Type, wanted.Name,
                    errors is null ? "no provisioner of that type" : string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value}")));
                continue;
            }
            var existing = await db.ResourceClasses.FirstOrDefaultAsync(c => c.Type == wanted.Type && c.Name == wanted.Name, ct);
            if (existing is not null && SameSettings(existing, wanted, protector)) continue;
            var before = existing is null ? null : ResourceClassView.Of(existing);
            var target = existing ?? new ResourceClass(wanted.Type, wanted.Name, Seeder.Name, now);
            target.Configure(wanted.Values, wanted.Secrets.ToDictionary(s => s.Key, s => protector.Protect(s.Value), StringComparer.Ordinal), Seeder.Name, now);
            if (existing is null) db.ResourceClasses.Add(target);
            await audit.SaveChangesAsync(new AuditEntry(Seeder.Id, Seeder.Name, existing is null ? "resource_class.created" : "resource_class.updated",
                "resource_class", target.Id.ToString(), null, null, AuditJson.Serialize(before), AuditJson.Serialize(ResourceClassView.Of(target)), null, null), ct);
            logger.LogInformation("Resource class {Type}/{Name} {Change} from configuration", wanted.Type, wanted.Name, existing is null ? "created" : "updated");
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    private static bool SameSettings(ResourceClass existing, SeededResourceClass wanted, SecretProtector protector) =>
        existing.Values.Count == wanted.Values.Count && !existing.Values.Except(wanted.Values).Any()
        && existing.ProtectedSecrets.Count == wanted.Secrets.Count
        && existing.ProtectedSecrets.All(s => wanted.Secrets.TryGetValue(s.Key, out var value) && protector.Unprotect(s.Value) == value);
}
