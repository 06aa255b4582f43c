using System.Net.Http.Json;
using Microsoft.Playwright;
using Paddock.E2E.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Paddock.E2E.Tests.Screenshots;

/// <summary>The workload editor and a plan view, with a workload of two containers, files and a shared volume:
/// docs/screenshots/workload-editor.png and plan.png (scripts/screenshots.sh).</summary>
[Collection(PortalCollection.Name)]
public sealed class WorkloadScreenshots(PortalServer portal)
{
    private const string Workload = """
        apiVersion: score.dev/v1b1
        metadata:
          name: storefront
        service:
          ports:
            web:
              port: 8080
        containers:
          storefront:
            image: localhost/paddock-demo:2
            variables:
              STRIPE_KEY: ${resources.env.STRIPE_KEY}
            files:
              /etc/storefront/app.conf:
                mode: "0640"
                content: |
                  name = ${metadata.name}
                  stripe = ${resources.env.STRIPE_KEY}
            volumes:
              /data:
                source: ${resources.data}
            readinessProbe:
              httpGet:
                port: 8080
                path: /
          metrics:
            image: localhost/paddock-demo:1
            files:
              /etc/metrics/targets.txt:
                content: "localhost:8080"
            volumes:
              /data:
                source: ${resources.data}
                readOnly: true
        resources:
          env:
            type: environment
          data:
            type: volume
        """;

    [ScreenshotFact]
    public async Task The_workload_editor_and_a_plan_are_saved_as_screenshots()
    {
        var directory = Environment.GetEnvironmentVariable(ScreenshotFactAttribute.Variable)!;
        Directory.CreateDirectory(directory);
        using var admin = portal.ApiClient(portal.AdminToken);
        (await admin.PostAsJsonAsync("/api/v1/teams", new { name = "shop", displayName = "Shop" })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/apps", new
        {
            name = "storefront", team = "shop", image = "localhost/paddock-demo:1", port = 8080, description = "The shop's web front end",
            secrets = new Dictionary<string, string> { ["STRIPE_KEY"] = "sk_test_not_a_real_key" },
        })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/apps/storefront/environments", new { name = "staging", stage = "staging", backend = "docker" })).EnsureSuccessStatusCode();

        await using var browser = await portal.Browser.NewPageAsync(portal.BaseUrl);
        var page = browser.Page;
        await page.SignInAsync(portal.AdminEmail, portal.AdminPassword);
        await page.GoToAsync("/apps/storefront/environments/staging/workload");
        var editor = page.GetByRole(AriaRole.Textbox, new() { Name = "Workload (YAML)" });
        await Expect(editor).Not.ToBeEmptyAsync();
        await editor.FillAsync(Workload);
        await page.GetByRole(AriaRole.Button, new() { Name = "Plan", Exact = true }).ClickAsync();
        var plan = page.GetByLabel("Plan", new() { Exact = true });
        await Expect(plan.GetByLabel("Plan lines")).ToContainTextAsync("/etc/metrics/targets.txt");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, "workload-editor.png"), FullPage = true });

        var permalink = await plan.GetByRole(AriaRole.Link, new() { Name = "Permalink" }).GetAttributeAsync("href");
        await page.GoToAsync(permalink!);
        await Expect(page.GetByLabel("Plan lines")).ToContainTextAsync("/etc/storefront/app.conf");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, "plan.png"), FullPage = true });
    }
}
