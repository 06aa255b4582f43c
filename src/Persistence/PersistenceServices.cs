using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Paddock.Persistence.Audit;
using Paddock.Persistence.Events;
using Paddock.Persistence.Keys;
using Paddock.Persistence.Secrets;

namespace Paddock.Persistence;

public static class PersistenceServices
{
    /// <summary>Database, keys, Data Protection and the audit log: what both portal and workers need.</summary>
    public static IHostApplicationBuilder AddPaddockPersistence(this IHostApplicationBuilder builder)
    {
        var connectionString = PaddockConnectionString.Of(builder.Configuration);
        builder.Services.AddOptions<PaddockOptions>().Bind(builder.Configuration.GetSection(PaddockOptions.Section));
        var options = builder.Configuration.GetSection(PaddockOptions.Section).Get<PaddockOptions>() ?? new PaddockOptions();

        builder.Services.AddDbContext<PaddockDbContext>(o => DbSetup.Configure(o, connectionString));
        builder.Services.AddSingleton(TimeProvider.System);

        var masterKey = MasterKey.Load(options);
        builder.Services.AddSingleton(masterKey);
        builder.Services.AddSingleton(AuditKey.From(masterKey));
        builder.Services.AddScoped<AuditLog>();

        // Before AddDataProtection: its own hosted service reads (and, on an empty ring, fills) the key ring when it
        // starts, and hosted services start in the order they were added.
        builder.Services.AddHostedService(sp => new KeyRingBootstrap(sp.GetRequiredService<IKeyManager>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<KeyManagementOptions>>(), connectionString,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<KeyRingBootstrap>>()));
        builder.Services.AddDataProtection()
            .SetApplicationName("Paddock")
            .PersistKeysToDbContext<PaddockDbContext>();
        builder.Services.Configure<KeyManagementOptions>(o => o.XmlEncryptor = new MasterKeyXmlEncryptor(masterKey));
        builder.Services.AddSingleton<SecretProtector>();
        builder.Services.AddScoped<EnvironmentEventLog>();
        return builder;
    }

    /// <summary>The process's one <c>LISTEN</c> connection for live status; only processes that show live status
    /// (the portal) need it, so workers do not hold an idle connection each.</summary>
    public static IHostApplicationBuilder AddEventNotifications(this IHostApplicationBuilder builder)
    {
        var connectionString = PaddockConnectionString.Of(builder.Configuration);
        builder.Services.AddSingleton(sp => new EventNotifications(connectionString, sp.GetRequiredService<ILogger<EventNotifications>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EventNotifications>());
        builder.Services.AddSingleton(sp => new CredentialChanges(connectionString, sp.GetRequiredService<ILogger<CredentialChanges>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CredentialChanges>());
        builder.Services.AddSingleton(sp => new AuditAppends(connectionString, sp.GetRequiredService<ILogger<AuditAppends>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AuditAppends>());
        return builder;
    }
}
