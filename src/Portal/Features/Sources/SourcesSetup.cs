using Paddock.Persistence;

namespace Paddock.Portal.Features.Sources;

public static class SourcesSetup
{
    public static IHostApplicationBuilder AddSources(this IHostApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(GitSettings.Section).Get<GitSettings>() ?? new GitSettings();
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<GitCli>();
        builder.Services.AddSingleton<GitMirror>();
        builder.Services.AddScoped<GitRepositoryService>();
        builder.Services.AddScoped<GitSourceService>();
        builder.Services.AddScoped<GitFollower>();
        builder.Services.AddScoped<SourceEditGuard>();
        var connectionString = PaddockConnectionString.Of(builder.Configuration);
        builder.Services.AddSingleton(sp => new GitPoller(sp.GetRequiredService<IServiceScopeFactory>(), settings, connectionString,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<GitPoller>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<GitPoller>());
        return builder;
    }

    public static RouteGroupBuilder MapSourcesApi(this RouteGroupBuilder api) => api.MapSourceEndpoints();
}
