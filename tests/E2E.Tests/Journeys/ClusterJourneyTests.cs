using Microsoft.Playwright;
using Paddock.E2E.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Paddock.E2E.Tests.Journeys;

[Collection(PortalCollection.Name)]
public sealed class ClusterJourneyTests(PortalServer portal)
{
    /// <summary>Nothing listens on port 1 of the loopback address: the cluster is listed as unreachable, with why.</summary>
    private const string Kubeconfig = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: target
          cluster:
            server: https://127.0.0.1:1
            insecure-skip-tls-verify: true
        users:
        - name: paddock
          user:
            token: e2e-token
        contexts:
        - name: paddock
          context:
            cluster: target
            user: paddock
        current-context: paddock
        """;

    [Fact]
    public async Task An_admin_registers_a_cluster_sees_why_it_is_unreachable_edits_it_and_deletes_it()
    {
        await using var browser = await portal.Browser.NewPageAsync(portal.BaseUrl);
        var page = browser.Page;
        var name = PageActions.Unique("cluster");
        await page.SignInAsync(portal.AdminEmail, portal.AdminPassword);
        await page.GoToAsync("/admin");

        await page.GetByRole(AriaRole.Button, new() { Name = "Register cluster" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Cluster name").FillAsync(name);
        await dialog.GetByLabel("Kubeconfig", new() { Exact = true }).FillAsync("::: not [ yaml");
        await dialog.GetByLabel("Ingress host pattern").FillAsync("{env}.apps.example.com");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
        await Expect(dialog).ToContainTextAsync("Not a kubeconfig document");
        await Expect(dialog).ToContainTextAsync("Must contain both {env} and {app}");

        await dialog.GetByLabel("Kubeconfig", new() { Exact = true }).FillAsync(Kubeconfig);
        await dialog.GetByLabel("Ingress host pattern").FillAsync("{env}-{app}.apps.example.com");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        var row = page.GetByLabel("Clusters").Locator("tr").Filter(new() { HasText = name });
        await Expect(row).ToContainTextAsync("Unreachable");
        await Expect(row).ToContainTextAsync("127.0.0.1:1");
        await Expect(page.GetByLabel($"Backend {name}")).ToContainTextAsync("kubernetes");

        await page.GetByRole(AriaRole.Button, new() { Name = $"Edit cluster {name}" }).ClickAsync();
        await Expect(dialog.GetByLabel("Kubeconfig", new() { Exact = true })).ToHaveValueAsync("");
        await Expect(dialog.GetByLabel("Ingress controller namespace")).ToHaveValueAsync("ingress-nginx");
        await dialog.GetByLabel("Ingress class").FillAsync("traefik");
        await dialog.GetByLabel("Ingress controller namespace").FillAsync("kube-system");
        await dialog.GetByLabel("Default pods").FillAsync("0");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(dialog).ToContainTextAsync("pods must be between 1 and 10000.");
        await dialog.GetByLabel("Default pods").FillAsync("8");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(row).ToContainTextAsync("(traefik)");
        await Expect(row).ToContainTextAsync("controller in namespace kube-system");
        await Expect(row).ToContainTextAsync("pods 8");

        await page.GetByRole(AriaRole.Button, new() { Name = $"Delete cluster {name}" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
    }
}
