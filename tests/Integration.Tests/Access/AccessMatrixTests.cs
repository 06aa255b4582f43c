using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Paddock.Integration.Tests.Infrastructure;

namespace Paddock.Integration.Tests.Access;

/// <summary>Calls every API endpoint, taken from the app's own endpoint list, as every kind of caller. A new endpoint
/// without a row in <see cref="EndpointRules"/> fails the test, so none can be skipped.</summary>
public sealed class AccessMatrixTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private List<string> ApiEndpoints() =>
        portal.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["ANY"]).Select(m => $"{m} {e.RoutePattern.RawText!.TrimEnd('/')}"))
            .Distinct().Order().ToList();

    [Fact]
    public void Every_api_endpoint_has_an_access_rule_and_every_rule_an_endpoint()
    {
        var endpoints = ApiEndpoints();
        Assert.Empty(endpoints.Except(EndpointRules.All.Keys));
        Assert.Empty(EndpointRules.All.Keys.Except(endpoints));
    }

    [Fact]
    public async Task Every_endpoint_answers_each_kind_of_caller_as_its_rule_says()
    {
        var people = await People.CreateAsync(portal);
        var shared = await AccessWorld.CreateAsync(portal, people);
        var failures = new List<string>();
        foreach (var endpoint in ApiEndpoints())
        {
            var rule = EndpointRules.All[endpoint];
            foreach (var caller in Enum.GetValues<CallerKind>())
            {
                var expected = rule.Expect.For(caller);
                // Denied calls change nothing, so they share a world; allowed ones get their own.
                var world = expected == Expectation.Allowed ? await AccessWorld.CreateAsync(portal, people) : shared;
                var response = await SendAsync(endpoint, rule, world, caller);
                var status = (int)response.StatusCode;
                var ok = expected == Expectation.Allowed ? status is not (401 or 403 or 404) and < 500 : status == expected;
                if (!ok) failures.Add($"{endpoint} as {caller}: expected {(expected == 0 ? "allowed" : expected)}, got {status} {await response.Content.ReadAsStringAsync()}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Every_mutating_endpoint_writes_exactly_one_audit_event()
    {
        var people = await People.CreateAsync(portal);
        var failures = new List<string>();
        foreach (var endpoint in ApiEndpoints().Where(e => !e.StartsWith("GET ", StringComparison.Ordinal)))
        {
            var rule = EndpointRules.All[endpoint];
            var caller = rule.Expect.Owner == Expectation.Allowed ? CallerKind.Owner : CallerKind.Admin;
            var world = await AccessWorld.CreateAsync(portal, people);
            var before = portal.WithDb(db => db.AuditEvents.Count());
            var response = await SendAsync(endpoint, rule, world, caller);
            var written = portal.WithDb(db => db.AuditEvents.Count()) - before;
            if (!response.IsSuccessStatusCode)
                failures.Add($"{endpoint} as {caller} did not succeed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            else if (written != rule.AuditEvents)
                failures.Add($"{endpoint} as {caller} wrote {written} audit events, not {rule.AuditEvents}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private Task<HttpResponseMessage> SendAsync(string endpoint, EndpointRule rule, AccessWorld world, CallerKind caller)
    {
        var method = endpoint[..endpoint.IndexOf(' ')];
        var request = new HttpRequestMessage(new HttpMethod(method), rule.Path(world, caller));
        if (rule.Body is not null) request.Content = JsonContent.Create(rule.Body(world));
        else if (method is "POST" or "PATCH") request.Content = JsonContent.Create(new { });
        rule.Prepare?.Invoke(world, request);
        return portal.ClientWithToken(world.Tokens.GetValueOrDefault(caller)).SendAsync(request);
    }
}
