using Microsoft.Extensions.Options;
using Paddock.Persistence;
using Paddock.Persistence.Audit;

namespace Paddock.Portal.Features.Audit;

public static class AuditSetup
{
    public static IHostApplicationBuilder AddAudit(this IHostApplicationBuilder builder)
    {
        var seconds = builder.Configuration.GetValue(AuditCheckpointSchedule.ConfigurationKey, AuditCheckpointSchedule.DefaultSeconds);
        builder.Services.AddSingleton(new AuditCheckpointSchedule(TimeSpan.FromSeconds(Math.Max(1, seconds))));
        builder.Services.AddSingleton(services =>
            new AuditCheckpointFile(services.GetRequiredService<IOptions<PaddockOptions>>().Value.ResolvedAuditCheckpointFile));
        builder.Services.AddScoped<AuditVerifier>();
        builder.Services.AddScoped<AuditCheckpointWriter>();
        builder.Services.AddScoped<AuditTrail>();
        builder.Services.AddHostedService<AuditCheckpointService>();
        return builder;
    }

    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        var audit = api.MapGroup("/audit").WithTags("Audit");
        audit.MapGet("/", AuditApi.ListAsync)
            .WithSummary("Audit events, newest first, filtered by actor, team, app, action (exact or 'prefix*') and time range [from, to).");
        audit.MapGet("/verify", AuditApi.VerifyAsync)
            .WithSummary("Recomputes the audit chain and compares it with the checkpoint (platform admins).");
        return api;
    }
}
