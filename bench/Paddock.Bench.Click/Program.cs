using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

// Installs the catalog's MediaWiki by click in a running Paddock (Debian's Chromium driven by Playwright), with the
// entry's defaults, and measures from the click on "Apply" to the wiki's main page answering through the environment
// URL. Prints one line: "click → wiki answering: N.N s". Run by bench/mediawiki-click.sh.
//
// Arguments: --portal URL --email ADDRESS --password-file FILE --team TEAM --app APP [--screenshot FILE] [--timeout SECONDS]

var options = Arguments(args);
string Option(string name) => options.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required");
var portal = Option("portal").TrimEnd('/');
var (team, app) = (Option("team"), Option("app"));
var timeout = TimeSpan.FromSeconds(double.Parse(options.GetValueOrDefault("timeout", "600"), CultureInfo.InvariantCulture));

Assertions.SetDefaultExpectTimeout(60_000);
using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = Environment.GetEnvironmentVariable("PADDOCK_TEST_CHROMIUM") ?? "/usr/bin/chromium",
    Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = portal, ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
context.SetDefaultTimeout(60_000);
var page = await context.NewPageAsync();

await page.GotoAsync("/login");
await page.GetByLabel("Email").FillAsync(Option("email"));
await page.GetByLabel("Password").FillAsync((await File.ReadAllTextAsync(Option("password-file"))).Trim());
await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
await Expect(page.Locator("[data-interactive=true]")).ToBeAttachedAsync();

// The catalog, MediaWiki's card, Install: the dialog holds the entry's defaults; only where it goes is filled in.
await page.GetByRole(AriaRole.Link, new() { Name = "Catalog" }).ClickAsync();
var card = page.Locator("[data-entry=mediawiki]");
await card.GetByRole(AriaRole.Button, new() { Name = "Install MediaWiki" }).ClickAsync();
var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Install MediaWiki" });
await dialog.GetByLabel("Team").ClickAsync();
await page.GetByRole(AriaRole.Option, new() { Name = team, Exact = true }).ClickAsync();
await dialog.GetByLabel("App", new() { Exact = true }).FillAsync(app);
await dialog.GetByLabel("Environment", new() { Exact = true }).FillAsync("prod");
var planning = Stopwatch.StartNew();
await dialog.GetByRole(AriaRole.Button, new() { Name = "Plan install" }).ClickAsync();
await Expect(dialog.GetByLabel("Plan lines")).ToContainTextAsync("to add");
var planned = planning.Elapsed;

var clock = Stopwatch.StartNew();
await dialog.GetByRole(AriaRole.Button, new() { Name = "Apply", Exact = true }).ClickAsync();
await page.WaitForURLAsync($"**/apps/{app}/environments/prod", new() { Timeout = 60_000 });
var landed = clock.Elapsed;
var url = page.GetByRole(AriaRole.Link, new() { Name = "Environment URL" });
await Expect(url).ToBeVisibleAsync(new() { Timeout = (float)timeout.TotalMilliseconds });
var address = (await url.GetAttributeAsync("href"))!.TrimEnd('/') + "/index.php?title=Main_Page";

// The main page answering through the environment URL (the edge), asked for by the browser: Chromium resolves
// {app}-{env}.localhost to loopback by itself.
var wiki = await context.NewPageAsync();
var answeredOk = false;
while (clock.Elapsed < timeout && !answeredOk)
{
    try
    {
        var response = await wiki.GotoAsync(address, new() { Timeout = 10_000 });
        answeredOk = response is { Status: 200 } && (await wiki.ContentAsync()).Contains("MediaWiki has been installed", StringComparison.Ordinal);
    }
    catch (PlaywrightException) { }
    if (!answeredOk) await Task.Delay(250);
}
var answered = clock.Elapsed;
if (!answeredOk)
{
    Console.Error.WriteLine($"The wiki did not answer at {address} within {timeout.TotalSeconds:0} s.");
    return 1;
}

if (options.TryGetValue("screenshot", out var screenshot))
{
    await wiki.ScreenshotAsync(new() { Path = screenshot, FullPage = false });
    await page.ScreenshotAsync(new() { Path = Path.ChangeExtension(screenshot, null) + "-environment.png", FullPage = true });
}
Console.WriteLine(FormattableString.Invariant($"plan shown after Plan install: {planned.TotalSeconds:0.0} s"));
Console.WriteLine(FormattableString.Invariant($"environment page after Apply: {landed.TotalSeconds:0.0} s"));
Console.WriteLine(FormattableString.Invariant($"click → wiki answering: {answered.TotalSeconds:0.0} s ({address})"));
return 0;

static Dictionary<string, string> Arguments(string[] args)
{
    var options = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"unexpected argument {args[i]}");
        options[args[i][2..]] = args[i + 1];
    }
    return options;
}
