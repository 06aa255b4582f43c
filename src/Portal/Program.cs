using Paddock.Persistence;
using Paddock.Portal.Api;
using Paddock.Portal.Components;
using Paddock.Portal.Features;
using Paddock.Portal.Identity;

var builder = WebApplication.CreateBuilder(args);

builder.AddPaddockPersistence();
builder.AddEventNotifications();
builder.AddPaddockIdentity();
builder.AddPaddockApi();
builder.AddPaddockFeatures();
builder.AddPaddockUi();
builder.Services.AddHostedService<AdminBootstrap>();

var app = builder.Build();

app.UsePaddockApi();
app.UseAuthentication();
app.UseMiddleware<CookieApiOriginCheck>();
app.UseMiddleware<RefusedAuthorizationAuditing>();
app.UseAuthorization();
app.UseMiddleware<NulCharacterGuard>();
app.UseAntiforgery();

app.MapHealthEndpoints();
app.MapAccountEndpoints();
app.MapPaddockApi();
app.MapPaddockUi();

app.Run();

/// <summary>Entry point type for WebApplicationFactory in the integration tests.</summary>
public partial class Program;
