using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Paddock.E2E.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Paddock.E2E.Tests.Journeys;

/// <summary>Workloads as code in the browser (issue #21): paste a Score file with an error, see it at its line, fix it,
/// see the plan (with the digest its image runs), find it stale once the app changed, plan again, apply, and watch the
/// environment run it; then a Deploy with another image typed goes through a plan too.</summary>
[Collection(DeployingCollection.Name)]
public sealed class WorkloadJourneyTests(DeployingWorld world)
{
    private static readonly LocatorAssertionsToBeVisibleOptions Slow = new() { Timeout = 40_000 };

    private static string Workload(string app, string port) =>
        $"""
        apiVersion: score.dev/v1b1
        metadata:
          name: {app}
        service:
          ports:
            web:
              port: {port}
        containers:
          {app}:
            image: localhost/paddock-demo:2
            readinessProbe:
              httpGet:
                port: 8080
                path: /
        """;

    [EngineFact]
    public async Task A_pasted_workload_shows_its_error_at_its_line_then_its_plan_and_applying_the_plan_runs_it()
    {
        using var admin = world.ApiClient(world.AdminToken);
        var team = PageActions.Unique("score");
        var app = PageActions.Unique("wl");
        await admin.CreateAppWithDevEnvironmentAsync(team, app);

        await using var browser = await world.Browser.NewPageAsync(world.BaseUrl);
        var page = browser.Page;
        await page.SignInAsync(world.AdminEmail, world.AdminPassword);
        await page.GoToAsync($"/apps/{app}/environments/dev");
        await Expect(page.GetByLabel("Status Running")).ToBeVisibleAsync(Slow);
        var address = await page.GetByRole(AriaRole.Link, new() { Name = "Environment URL" }).GetAttributeAsync("href");

        // The editor starts from the environment's exported workload.
        await page.GetByRole(AriaRole.Link, new() { Name = "Workload", Exact = true }).ClickAsync();
        await page.ExpectLandedOnAsync($"/apps/{app}/environments/dev/workload");
        var editor = page.GetByRole(AriaRole.Textbox, new() { Name = "Workload (YAML)" });
        await Expect(editor).ToHaveValueAsync(new Regex("apiVersion: score.dev/v1b1[\\s\\S]*localhost/paddock-demo:1"));

        // An error is shown at its line (gutter and line), and listed with line:column and JSON pointer.
        await editor.FillAsync(Workload(app, "eighty"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Plan", Exact = true }).ClickAsync();
        var errors = page.GetByLabel("Workload errors");
        await Expect(errors).ToBeVisibleAsync();
        var row = errors.GetByRole(AriaRole.Row).Filter(new() { HasText = "/service/ports/web/port" });
        await Expect(row).ToHaveAttributeAsync("aria-label", new Regex("^Error at 7:\\d+$"));
        await Expect(page.Locator(".paddock-editor-lineno-error")).ToHaveTextAsync("● 7");
        await Expect(page.Locator(".paddock-editor-line").Nth(6)).ToContainTextAsync("port: eighty");
        await Expect(page.Locator(".paddock-editor-line").Nth(6).Locator(".paddock-editor-message")).Not.ToBeEmptyAsync();
        await Expect(page.GetByLabel("Plan", new() { Exact = true })).ToHaveCountAsync(0);

        // Fixed, it plans: the image changes, in terraform's words.
        await editor.FillAsync(Workload(app, "8080"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Plan", Exact = true }).ClickAsync();
        var plan = page.GetByLabel("Plan", new() { Exact = true });
        await Expect(plan).ToContainTextAsync("Plan: 0 to add, 1 to change, 0 to destroy");
        await Expect(errors).ToHaveCountAsync(0);
        var lines = plan.GetByLabel("Plan lines");
        await Expect(lines.Locator(".paddock-plan-change").First).ToContainTextAsync($"~ container {app}");
        await Expect(lines).ToContainTextAsync("~ image: localhost/paddock-demo:1 → localhost/paddock-demo:2");

        // The app changes meanwhile: applying the stale plan is refused, saying what moved; planning again works.
        (await admin.PatchAsJsonAsync($"/api/v1/apps/{app}", new { env = new Dictionary<string, string> { ["STALE"] = "1" } })).EnsureSuccessStatusCode();
        await plan.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(plan.GetByLabel("Apply refused")).ToContainTextAsync("the application's workload changed");
        await plan.GetByRole(AriaRole.Button, new() { Name = "Plan again" }).ClickAsync();
        await Expect(plan.GetByLabel("Apply refused")).ToHaveCountAsync(0);
        await Expect(lines).ToContainTextAsync("~ image: localhost/paddock-demo:1 → localhost/paddock-demo:2");
        await Expect(lines).ToContainTextAsync(new Regex($"image of {app}: localhost/paddock-demo:2 → sha256:[0-9a-f]{{64}}"));
        var permalink = await plan.GetByRole(AriaRole.Link, new() { Name = "Permalink" }).GetAttributeAsync("href");

        // Applying goes to the environment page, where the deployment runs and the URL serves v2.
        await plan.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await page.ExpectLandedOnAsync($"/apps/{app}/environments/dev");
        var history = page.GetByLabel("Deployment history");
        await Expect(history.GetByLabel("Deployment 2 Succeeded")).ToBeVisibleAsync(Slow);
        await using (var visitor = await world.Browser.NewPageAsync(address!))
        {
            await visitor.Page.GotoAsync(address!);
            await Expect(visitor.Page.GetByText("paddock demo v2")).ToBeVisibleAsync();
        }

        // The plan keeps its address, and says it was applied.
        await page.GoToAsync(permalink!);
        await Expect(page.GetByLabel("Plan status Applied")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Plan lines")).ToContainTextAsync("Plan: 0 to add, 1 to change, 0 to destroy");

        // Deploy with another image typed shows its plan first (the image becomes the environment's own); confirming
        // applies exactly it.
        await page.GoToAsync($"/apps/{app}/environments/dev");
        await page.GetByRole(AriaRole.Button, new() { Name = "Deploy", Exact = true }).ClickAsync();
        var deploy = page.GetByRole(AriaRole.Dialog, new() { Name = "Deploy", Exact = true });
        await deploy.GetByLabel("Image").FillAsync("localhost/paddock-demo:1");
        await deploy.GetByRole(AriaRole.Button, new() { Name = "Deploy now" }).ClickAsync();
        var deployLines = deploy.GetByLabel("Plan lines");
        await Expect(deployLines).ToContainTextAsync("environment dev: its own image becomes localhost/paddock-demo:1");
        await Expect(deployLines).ToContainTextAsync("~ image: localhost/paddock-demo:2 → localhost/paddock-demo:1");
        await Expect(deployLines).ToContainTextAsync(new Regex($"image of {app}: localhost/paddock-demo:1 → sha256:[0-9a-f]{{64}}"));
        await Expect(page.GetByLabel("Deployment 3 Queued")).ToHaveCountAsync(0);
        await deploy.GetByRole(AriaRole.Button, new() { Name = "Confirm deploy" }).ClickAsync();
        await Expect(history.GetByLabel("Deployment 3 Succeeded")).ToBeVisibleAsync(Slow);
        await Expect(page.GetByLabel("Environment image")).ToContainTextAsync("localhost/paddock-demo:1");
        await Expect(page.GetByLabel("Environment image")).Not.ToContainTextAsync("the application's");
    }
}
