using Microsoft.Playwright;

namespace Paddock.E2E.Tests.Infrastructure;

/// <summary>Debian's Chromium driven by Playwright; Playwright's own browser downloads are never used.</summary>
public sealed class Browser : IAsyncDisposable
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public static string ExecutablePath => Environment.GetEnvironmentVariable("PADDOCK_TEST_CHROMIUM") ?? "/usr/bin/chromium";

    public async Task StartAsync()
    {
        // Expectations wait as long as actions do: portal, workers and edge are separate processes that each warm up
        // (JIT) on their first requests, and on a loaded 2-core machine a page's first render can take over 5 s.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    /// <summary>A fresh browser context (own cookies) and page; dispose it to close both.</summary>
    public async Task<BrowserPage> NewPageAsync(string baseUrl, int width = 1280, int height = 900)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        var log = new BrowserLog();
        page.Console += (_, message) => log.Add($"console {message.Type}: {message.Text}");
        page.PageError += (_, error) => log.Add($"page error: {error}");
        page.RequestFailed += (_, request) => log.Add($"request failed: {request.Url} {request.Failure}");
        page.Response += (_, response) => { if (response.Status >= 400) log.Add($"{response.Status} {response.Url}"); };
        return new BrowserPage(context, page, log);
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

/// <summary>A test's page; on disposal its browser console is written to the test output directory when it had errors.</summary>
public sealed record BrowserPage(IBrowserContext Context, IPage Page, BrowserLog Log) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        Log.Flush();
        await Context.DisposeAsync();
    }
}

/// <summary>What the browser said (console errors, failed requests): the first thing to read when a journey fails.</summary>
public sealed class BrowserLog
{
    private readonly List<string> _lines = [];

    public void Add(string line)
    {
        lock (_lines) _lines.Add($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
    }

    /// <summary>The lines logged so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get { lock (_lines) return _lines.ToList(); }
    }

    public void Flush()
    {
        lock (_lines)
        {
            if (_lines.Count == 0) return;
            File.AppendAllLines(Path.Combine(AppContext.BaseDirectory, "browser.log"), _lines);
        }
    }
}
