using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paddock.Domain.Access;
using Paddock.Domain.Tokens;
using Paddock.Integration.Tests.Applications;
using Paddock.Integration.Tests.Infrastructure;
using Paddock.Portal.Api;
using Paddock.Portal.Features.Workloads;
using static Paddock.Integration.Tests.Deployments.DeploymentTestKit;

namespace Paddock.Integration.Tests.Workloads.Ui;

/// <summary>What the UI asks of <see cref="PlanService"/> beyond the API: the Deploy dialog's tickets and message on the
/// deployment a plan becomes, and planning an earlier plan's text again after its apply was refused.</summary>
public sealed class PlanServiceForTheUiTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private async Task<T> WithPlansAsync<T>(Func<PlanService, Task<T>> call)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await call(scope.ServiceProvider.GetRequiredService<PlanService>());
    }

    private static Caller Deployer(TeamScenario scenario) =>
        new(Actor.ForTeamToken(Guid.NewGuid(), "ui-test", scenario.Team.Id, TokenScope.Deploy), "192.0.2.10", $"ui-{Guid.NewGuid():N}");

    [Fact]
    public async Task Applying_a_plan_with_a_note_puts_its_tickets_and_message_on_the_deployment()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        var envId = portal.EnvironmentId(app, "dev");
        await portal.MarkSucceededAsync(Assert.Single(portal.DeploymentsOf(envId)).Id);
        var caller = Deployer(scenario);

        var plan = await WithPlansAsync(s => s.PlanAsync(caller, app, "dev", "", CancellationToken.None));
        Assert.True(plan.Outcome.IsOk, plan.Outcome.Message);
        Assert.Equal("Plan: 0 to add, 0 to change, 0 to destroy", plan.Outcome.Value!.Summary);

        var invalid = await WithPlansAsync(s => s.ApplyAsync(caller, plan.Outcome.Value.Id, new ApplyNote(["not a key"], null), CancellationToken.None));
        Assert.Equal(OutcomeKind.Invalid, invalid.Kind);
        Assert.Contains("tickets", invalid.Errors!.Keys);

        var applied = await WithPlansAsync(s => s.ApplyAsync(caller, plan.Outcome.Value.Id, new ApplyNote(["UI-7"], "Ship it"), CancellationToken.None));
        Assert.True(applied.IsOk, applied.Message);
        var deployment = portal.DeploymentsOf(envId)[^1];
        Assert.Equal((plan.Outcome.Value.Id, "Ship it"), (deployment.PlanId, deployment.Message));
        Assert.Equal(["UI-7"], deployment.Tickets);
        Assert.True(portal.WithDb(db => db.Tickets.AsNoTracking().Any(t => t.TeamId == scenario.Team.Id && t.Key == "UI-7")));
    }

    [Fact]
    public async Task Planning_a_refused_plan_again_plans_its_text_against_what_is_there_now()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        var caller = Deployer(scenario);
        var first = await WithPlansAsync(s => s.PlanAsync(caller, app, "dev", "", CancellationToken.None));
        var applied = await WithPlansAsync(s => s.ApplyAsync(caller, first.Outcome.Value!.Id, CancellationToken.None));
        Assert.True(applied.IsOk, applied.Message);

        var again = await WithPlansAsync(s => s.ReplanAsync(caller, first.Outcome.Value!.Id, CancellationToken.None));

        Assert.True(again.Outcome.IsOk, again.Outcome.Message);
        Assert.NotEqual(first.Outcome.Value!.Id, again.Outcome.Value!.Id);
        Assert.Equal((PlanStatus.Open, first.Outcome.Value.ContentHash), (again.Outcome.Value.Status, again.Outcome.Value.ContentHash));
        var missing = await WithPlansAsync(s => s.ReplanAsync(caller, Guid.NewGuid(), CancellationToken.None));
        Assert.Equal(OutcomeKind.NotFound, missing.Outcome.Kind);
    }
}
