using System.Text.RegularExpressions;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Paddock.Backends.Docker;
using Paddock.E2E.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Paddock.E2E.Tests.Journeys;

/// <summary>The whole way from a click to a running container and back, with the real workers, edge and engine.</summary>
[Collection(DeployingCollection.Name)]
public sealed class DeploymentJourneyTests(DeployingWorld world)
{
    private static readonly LocatorAssertionsToBeVisibleOptions Slow = new() { Timeout = 40_000 };

    [EngineFact]
    public async Task A_new_environment_comes_up_live_answers_on_its_url_takes_a_new_image_and_rolls_back_with_a_reason()
    {
        await using var browser = await world.Browser.NewPageAsync(world.BaseUrl);
        var page = browser.Page;
        var team = PageActions.Unique("team");
        var app = PageActions.Unique("demo");

        await page.SignInAsync(world.AdminEmail, world.AdminPassword);
        await page.GetByRole(AriaRole.Link, new() { Name = "Teams" }).First.ClickAsync();
        await page.GetByLabel("Team name").FillAsync(team);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create team" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/teams/{team}$"));

        await page.GetByRole(AriaRole.Link, new() { Name = "New app" }).ClickAsync();
        await page.GetByLabel("Application name").FillAsync(app);
        await page.GetByLabel("Container image").FillAsync("localhost/paddock-demo:1");
        await page.GetByLabel("Port").FillAsync("8080");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create application" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/apps/{app}$"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Create environment" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Environment name").FillAsync("dev");
        var pageLoads = 0;
        page.FrameNavigated += (_, frame) => { if (frame == page.MainFrame) pageLoads++; };
        page.Load += (_, _) => pageLoads++;
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();

        // Queued, then deployed by the worker through the engine and the edge: the chip follows with no page load.
        var card = page.Locator("[data-environment=dev]");
        await Expect(card.GetByLabel("Status Running")).ToBeVisibleAsync(Slow);
        Assert.Equal(0, pageLoads);

        await card.GetByRole(AriaRole.Link, new() { Name = "dev", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"{app} / dev" })).ToBeVisibleAsync();
        var url = page.GetByRole(AriaRole.Link, new() { Name = "Environment URL" });
        await Expect(url).ToBeVisibleAsync();
        var address = await url.GetAttributeAsync("href");
        Assert.Matches(new Regex(@"^http://[a-z0-9-]+\.localhost:\d+/$"), address!);
        await ExpectLinkOpensAsync(browser, url, "paddock demo v1");

        // Its only container dies: the timeline says the environment is down, with the exit code, before the
        // reconciler's repair (the page may be too quick to catch the Missing chip), then the repair, then Healthy.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Events" }).ClickAsync();
        await KillContainersAsync(app);
        var timeline = page.GetByLabel("Event timeline");
        await Expect(timeline).ToContainTextAsync(new Regex(@"down 0 of 1 instance\(s\) serve: \S+ exited with code 137; repairing\."), new() { Timeout = 40_000 });
        await Expect(timeline).ToContainTextAsync(new Regex(@"repaired Instance \S+ exited with code 137; started a replacement"), new() { Timeout = 40_000 });
        await Expect(page.GetByLabel("Health Healthy")).ToBeVisibleAsync(Slow);
        await ExpectAnswerAsync(address!, "paddock demo v1");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Deployments" }).ClickAsync();

        var history = page.GetByLabel("Deployment history");
        await page.GetByRole(AriaRole.Button, new() { Name = "Deploy", Exact = true }).ClickAsync();
        var deploy = page.GetByRole(AriaRole.Dialog, new() { Name = "Deploy", Exact = true });
        await deploy.GetByLabel("Image").FillAsync("localhost/paddock-demo:2");
        await deploy.GetByLabel("Message").FillAsync("Try v2");
        await deploy.GetByRole(AriaRole.Button, new() { Name = "Deploy now" }).ClickAsync();
        // A typed image is planned first: the plan shows it, confirming applies it.
        await Expect(deploy.GetByLabel("Plan lines")).ToContainTextAsync("its own image becomes localhost/paddock-demo:2");
        await deploy.GetByRole(AriaRole.Button, new() { Name = "Confirm deploy" }).ClickAsync();
        await Expect(history.GetByLabel("Deployment 2 Succeeded")).ToBeVisibleAsync(Slow);
        await Expect(history.GetByText("localhost/paddock-demo:2")).ToBeVisibleAsync();
        await ExpectAnswerAsync(address!, "paddock demo v2");

        await history.GetByRole(AriaRole.Button, new() { Name = "Redeploy 1" }).ClickAsync();
        var redeploy = page.GetByRole(AriaRole.Dialog, new() { Name = "Redeploy", Exact = true });
        await redeploy.GetByLabel("Reason").FillAsync("v2 breaks checkout");
        await redeploy.GetByRole(AriaRole.Button, new() { Name = "Redeploy" }).ClickAsync();
        await Expect(history.GetByLabel("Deployment 3 Succeeded")).ToBeVisibleAsync(Slow);
        await Expect(history.GetByRole(AriaRole.Row).Filter(new() { HasText = "v2 breaks checkout" })).ToContainTextAsync("localhost/paddock-demo:1");
        await ExpectAnswerAsync(address!, "paddock demo v1");

        // Clean up the way a user would: delete with the typed confirmation, and the worker tears it down.
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete environment" }).ClickAsync();
        var delete = page.GetByRole(AriaRole.Dialog, new() { Name = "Delete environment", Exact = true });
        await delete.GetByLabel("Environment name to confirm").FillAsync("dev");
        await delete.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Expect(page.GetByText("Environment 'dev' is being deleted.")).ToBeVisibleAsync();
        await WaitUntilGoneAsync(app);
    }

    /// <summary>Opens the environment's link in a new tab (it has target=_blank), as a user would, and reads it.</summary>
    private static async Task ExpectLinkOpensAsync(BrowserPage browser, ILocator link, string text)
    {
        var tab = await browser.Context.RunAndWaitForPageAsync(() => link.ClickAsync());
        try
        {
            await tab.WaitForLoadStateAsync();
            await Expect(tab.GetByText(text)).ToBeVisibleAsync();
        }
        finally
        {
            await tab.CloseAsync();
        }
    }

    /// <summary>Reads the URL in a fresh browser context. Not the journey's own: busybox httpd's validators are the
    /// page's mtime and size, equal in both demo images, so a browser that cached v1 is told 304 by v2 and keeps v1.</summary>
    private async Task ExpectAnswerAsync(string address, string text)
    {
        await using var fresh = await world.Browser.NewPageAsync(address);
        await fresh.Page.GotoAsync(address);
        await Expect(fresh.Page.GetByText(text)).ToBeVisibleAsync();
    }

    /// <summary>Kills the app's containers through the engine, as a crash or an operator would.</summary>
    private async Task KillContainersAsync(string app)
    {
        var environmentId = await world.WithDbAsync(db => db.Environments.Where(e => e.DeletedAt == null
                && db.Applications.Any(a => a.Id == e.ApplicationId && a.Name == Domain.Names.AppName.Parse(app)))
            .Select(e => e.Id).SingleAsync());
        using var engine = new DockerClientBuilder().WithEndpoint(new Uri(Environment.GetEnvironmentVariable(EngineFactAttribute.Variable)!)).Build();
        var containers = await engine.Containers.ListContainersAsync(new ContainersListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{DockerLabels.EnvironmentId}={environmentId}"] = true },
            },
        });
        Assert.NotEmpty(containers);
        foreach (var container in containers)
            await engine.Containers.KillContainerAsync(container.ID, new ContainerKillParameters { Signal = "SIGKILL" });
    }

    private async Task WaitUntilGoneAsync(string app)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await world.WithDbAsync(db => Task.FromResult(db.Environments.Any(e => e.DeletedAt == null
                   && db.Applications.Any(a => a.Id == e.ApplicationId && a.Name == Domain.Names.AppName.Parse(app))))))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The environment of {app} was not torn down in 30 s.");
            await Task.Delay(200);
        }
    }
}
