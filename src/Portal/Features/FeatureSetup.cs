using Paddock.Portal.Api;
using Paddock.Portal.Features.Applications;
using Paddock.Portal.Features.Audit;
using Paddock.Portal.Features.Catalog;
using Paddock.Portal.Features.Backends;
using Paddock.Portal.Features.Clusters;
using Paddock.Portal.Features.Delivery;
using Paddock.Portal.Features.Deployments;
using Paddock.Portal.Features.Environments;
using Paddock.Portal.Features.Jobs;
using Paddock.Portal.Features.Resources;
using Paddock.Portal.Features.Sources;
using Paddock.Portal.Features.Teams;
using Paddock.Portal.Features.Tickets;
using Paddock.Portal.Features.Users;
using Paddock.Portal.Features.Webhooks;
using Paddock.Portal.Features.Workloads;

namespace Paddock.Portal.Features;

/// <summary>Registers every feature's services and maps every feature's API group, explicitly.</summary>
public static class FeatureSetup
{
    public static IHostApplicationBuilder AddPaddockFeatures(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<Access.AccessQueries>();
        builder.AddTeams();
        builder.AddUsers();
        builder.AddApplications();
        builder.AddEnvironments();
        builder.AddBackends();
        builder.AddClusters();
        builder.AddDeployments();
        builder.AddResources();
        builder.AddWorkloads();
        builder.AddSources();
        builder.AddCatalog();
        builder.AddTickets();
        builder.AddWebhooks();
        builder.AddDelivery();
        builder.AddAudit();
        return builder;
    }

    public static IEndpointRouteBuilder MapPaddockApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization().WithPaddockConventions();
        api.MapTeamsApi();
        api.MapUsersApi();
        api.MapApplicationsApi();
        api.MapEnvironmentsApi();
        api.MapBackendsApi();
        api.MapClustersApi();
        api.MapDeploymentsApi();
        api.MapEnvironmentStreamsApi();
        api.MapWorkloadsApi();
        api.MapSourcesApi();
        api.MapCatalogApi();
        api.MapResourcesApi();
        api.MapTicketsApi();
        api.MapWebhooksApi();
        api.MapDeliveryApi();
        api.MapAuditApi();
        app.MapJobsDashboard();
        return app;
    }
}
