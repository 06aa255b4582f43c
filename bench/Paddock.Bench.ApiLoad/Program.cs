using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Paddock.Bench;

// A fixed-rate load on the read API as a team member sees it: GET one environment and GET the app list, alternately,
// at --rate requests/s for --seconds s (open loop: each request is sent at its scheduled time whether or not earlier
// ones answered; latency counts from that time, so a stall shows). Loopback only; bounded in count and in time.
//   dotnet Paddock.Bench.ApiLoad.dll --portal http://127.0.0.1:5080 --token-file .paddock/admin.token --pid <portal pid>
//     [--rate 200] [--seconds 20]
var options = Options.Parse(args);
if (!options.Portal.IsLoopback) throw new ArgumentException("The load generator only targets loopback addresses.");
var admin = Client(options.Portal, (await File.ReadAllTextAsync(options.TokenFile)).Trim());

// Set-up as the admin: a team, a member with a personal token, an app and one environment.
var suffix = Guid.NewGuid().ToString("N")[..6];
var team = $"load-{suffix}";
var email = $"load-{suffix}@example.com";
await Send(admin, HttpMethod.Post, "/api/v1/teams", new { name = team });
var user = await Send(admin, HttpMethod.Post, "/api/v1/users", new { email, displayName = "Load", team, role = "Member" });
var memberToken = await MemberTokenAsync(options.Portal, email, user.GetProperty("password").GetString()!);
await Send(admin, HttpMethod.Post, "/api/v1/apps", new { name = team, team, image = "localhost/paddock-demo:1", port = 8080 });
await Send(admin, HttpMethod.Post, $"/api/v1/apps/{team}/environments", new { name = "prod", stage = "Production", backend = "docker" });
var member = Client(options.Portal, memberToken);
string[] paths = [$"/api/v1/apps/{team}/environments/prod", "/api/v1/apps"];

// Warm-up (JIT, connection pool, caches), then the measured run.
for (var i = 0; i < 200; i++) (await member.GetAsync(paths[i % 2])).Dispose();
var rssBefore = Rss(options.Pid);
var total = options.Rate * options.Seconds;
var latencies = new double[total];
var failures = new string?[total];
var clock = Stopwatch.StartNew();
var inFlight = new List<Task>(total);
for (var i = 0; i < total; i++)
{
    var due = TimeSpan.FromSeconds((double)i / options.Rate);
    var wait = due - clock.Elapsed;
    if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait);
    var index = i;
    inFlight.Add(Task.Run(async () =>
    {
        try
        {
            using var response = await member.GetAsync(paths[index % 2]);
            await response.Content.LoadIntoBufferAsync();
            if (response.StatusCode != HttpStatusCode.OK) failures[index] = $"HTTP {(int)response.StatusCode}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            failures[index] = e.GetType().Name;
        }
        latencies[index] = (clock.Elapsed - due).TotalMilliseconds;
    }));
}
await Task.WhenAll(inFlight);
var elapsed = clock.Elapsed;
await Task.Delay(TimeSpan.FromSeconds(2)); // let the portal settle before reading its memory again
var rssAfter = Rss(options.Pid);

var errors = failures.Where(f => f is not null).GroupBy(f => f).Select(g => $"{g.Key} x{g.Count()}").ToList();
Console.WriteLine($"API load on {Environment.ProcessorCount} cores: {total} requests at {options.Rate}/s for {options.Seconds} s " +
    $"(GET /apps/{{app}}/environments/{{env}} and GET /apps alternately, member token), took {elapsed.TotalSeconds:F1} s");
Console.WriteLine(Stats.Summary("latency", latencies));
Console.WriteLine($"errors: {(errors.Count == 0 ? "0" : string.Join(", ", errors))}");
Console.WriteLine($"portal RSS: before {rssBefore / 1024.0:F0} MiB, after {rssAfter / 1024.0:F0} MiB ({(rssAfter - rssBefore) / 1024.0:+0;-0} MiB)");
return errors.Count == 0 ? 0 : 1;

static HttpClient Client(Uri portal, string token) => new(new SocketsHttpHandler { MaxConnectionsPerServer = 64 })
{
    BaseAddress = portal,
    Timeout = TimeSpan.FromSeconds(10),
    DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
};

static async Task<JsonElement> Send(HttpClient client, HttpMethod method, string path, object body)
{
    using var response = await client.SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) });
    var text = await response.Content.ReadAsStringAsync();
    if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {text}");
    return JsonDocument.Parse(text).RootElement.Clone();
}

// The member signs in through the login form (as a person would) and creates a personal token with the session.
static async Task<string> MemberTokenAsync(Uri portal, string email, string password)
{
    using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = portal };
    browser.DefaultRequestHeaders.Add("Origin", portal.GetLeftPart(UriPartial.Authority));
    var form = await browser.GetStringAsync("/login");
    var antiforgery = Regex.Match(form, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"").Groups[1].Value;
    using var login = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
    {
        ["email"] = email, ["password"] = password, ["returnUrl"] = "/", ["__RequestVerificationToken"] = WebUtility.HtmlDecode(antiforgery),
    }));
    if (login.Headers.Location?.OriginalString != "/") throw new InvalidOperationException($"The member could not sign in: {login.Headers.Location}");
    var token = await Send(browser, HttpMethod.Post, "/api/v1/me/tokens", new { name = "load" });
    return token.GetProperty("token").GetString()!;
}

// Resident set size of a process in KiB (Linux), 0 when it cannot be read.
static long Rss(int pid)
{
    if (pid <= 0 || !File.Exists($"/proc/{pid}/status")) return 0;
    var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
    return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
}

sealed record Options(Uri Portal, string TokenFile, int Pid, int Rate, int Seconds)
{
    public static Options Parse(string[] args)
    {
        string Value(string name, string? fallback = null)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback ?? throw new ArgumentException($"{name} is required.");
        }
        var options = new Options(new Uri(Value("--portal")), Value("--token-file"), int.Parse(Value("--pid", "0")),
            int.Parse(Value("--rate", "200")), int.Parse(Value("--seconds", "20")));
        if (options.Rate is < 1 or > 2000 || options.Seconds is < 1 or > 300) throw new ArgumentException("--rate 1..2000, --seconds 1..300.");
        return options;
    }
}
