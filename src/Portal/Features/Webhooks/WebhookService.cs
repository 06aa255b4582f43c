using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Access;
using Paddock.Domain.Tickets;
using Paddock.Persistence;
using Paddock.Persistence.Audit;
using Paddock.Persistence.Secrets;
using Paddock.Portal.Api;
using Paddock.Portal.Features.Access;

namespace Paddock.Portal.Features.Webhooks;

/// <summary>A team's hooks: created and deleted by its members, listed for anyone in the team.</summary>
public sealed class WebhookService(PaddockDbContext db, AccessQueries access, SecretProtector protector, AuditLog audit, TimeProvider clock)
{
    private const string MembersOnly = "Managing a team's webhooks needs the member or owner role.";

    public async Task<Outcome<CreatedWebhookView>> CreateAsync(Caller caller, string teamName, CreateWebhookRequest request, CancellationToken ct)
    {
        var (team, teamAccess) = await access.TeamAsync(caller.Actor, teamName, ct);
        if (team is null) return Failure.NotFound($"Team '{teamName}'");
        if (teamAccess < TeamAccess.Manage) return Failure.Forbidden(MembersOnly);
        var errors = new FieldErrors();
        var source = request.Validate(errors);
        Domain.Applications.Application? app = null;
        Domain.Environments.AppEnvironment? env = null;
        if (request.WantsPushToDeploy && !string.IsNullOrWhiteSpace(request.App) && !string.IsNullOrWhiteSpace(request.Environment))
        {
            app = await db.Applications.AsNoTracking().FirstOrDefaultAsync(a => a.TeamId == team.Id && a.DeletedAt == null
                && a.Name == Domain.Names.AppName.FromTrusted(request.App.Trim()), ct);
            if (app is null) errors.Add("app", $"Team '{team.Name}' has no application '{request.App}'.");
            else
            {
                env = await db.Environments.AsNoTracking().FirstOrDefaultAsync(e => e.ApplicationId == app.Id && e.DeletedAt == null
                    && e.Name == Domain.Names.EnvironmentName.FromTrusted(request.Environment.Trim()), ct);
                if (env is null) errors.Add("environment", $"'{request.App}' has no environment '{request.Environment}'.");
            }
        }
        if (errors.Any) return errors.ToFailure();

        var secret = "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var hook = new Webhook(team.Id, source!.Value, protector.Protect(secret), caller.Actor.Id, clock.GetUtcNow().UtcDateTime);
        if (app is not null && env is not null) hook.DeployOnPush(request.DeployOnPushBranch!.Trim(), app.Id, env.Id, request.ImageTemplate!.Trim());
        db.Webhooks.Add(hook);
        var view = WebhookView.Of(hook, app?.Name.Value, env?.Name.Value);
        await audit.SaveChangesAsync(caller.Audit("webhook.created", "webhook", hook.Id.ToString(), team.Id, app?.Id, null, view), ct);
        return new CreatedWebhookView(view, secret);
    }

    public async Task<Outcome<IReadOnlyList<WebhookView>>> ListAsync(Caller caller, string teamName, CancellationToken ct)
    {
        var (team, _) = await access.TeamAsync(caller.Actor, teamName, ct);
        if (team is null) return Failure.NotFound($"Team '{teamName}'");
        var hooks = await db.Webhooks.AsNoTracking().Where(h => h.TeamId == team.Id).OrderBy(h => h.CreatedAt).ToListAsync(ct);
        var names = await TargetNamesAsync(hooks, ct);
        return hooks.Select(h => View(h, names)).ToList();
    }

    public async Task<Outcome<WebhookView>> DeleteAsync(Caller caller, string teamName, Guid id, CancellationToken ct)
    {
        var (team, teamAccess) = await access.TeamAsync(caller.Actor, teamName, ct);
        if (team is null) return Failure.NotFound($"Team '{teamName}'");
        if (teamAccess < TeamAccess.Manage) return Failure.Forbidden(MembersOnly);
        var hook = await db.Webhooks.FirstOrDefaultAsync(h => h.Id == id && h.TeamId == team.Id, ct);
        if (hook is null) return Failure.NotFound($"Webhook '{id}' of team '{teamName}'");
        var view = View(hook, await TargetNamesAsync([hook], ct));
        db.Webhooks.Remove(hook);
        await audit.SaveChangesAsync(caller.Audit("webhook.deleted", "webhook", hook.Id.ToString(), team.Id, hook.DeployApplicationId, view, null), ct);
        return view;
    }

    private async Task<Dictionary<Guid, (string App, string Env)>> TargetNamesAsync(IReadOnlyCollection<Webhook> hooks, CancellationToken ct)
    {
        var envIds = hooks.Where(h => h.DeployEnvironmentId is not null).Select(h => h.DeployEnvironmentId!.Value).Distinct().ToList();
        if (envIds.Count == 0) return [];
        var rows = await db.Environments.AsNoTracking().Where(e => envIds.Contains(e.Id))
            .Join(db.Applications, e => e.ApplicationId, a => a.Id, (e, a) => new { e.Id, App = a.Name, Env = e.Name }).ToListAsync(ct);
        return rows.ToDictionary(r => r.Id, r => (r.App.Value, r.Env.Value));
    }

    private static WebhookView View(Webhook hook, Dictionary<Guid, (string App, string Env)> names) =>
        hook.DeployEnvironmentId is { } envId && names.TryGetValue(envId, out var n) ? WebhookView.Of(hook, n.App, n.Env) : WebhookView.Of(hook, null, null);
}
