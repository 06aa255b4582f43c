using System.Text.Json.Nodes;
using Paddock.Domain.Resources;
using Paddock.Provisioners.Network;

namespace Paddock.Provisioners.Tests.Network;

/// <summary>The dns, route and service-port provisioners over their seams (recording seams here; the seams' real
/// implementations are tested with the edge on real Postgres and Podman, and the fake Kubernetes API server).</summary>
public sealed class NetworkProvisionerTests
{
    private static readonly Guid Environment = Guid.NewGuid();
    private static readonly ResourceClassSettings NoClass = new("dns", "default", new Dictionary<string, string>(), new Dictionary<string, string>());

    private static ProvisionRequest Request(string name, JsonObject? parameters = null, string? state = null) => new()
    {
        EnvironmentId = Environment, ResourceId = $"x.default#shop.{name}", Name = name, Uid = "rabcdefghijklmnopqrs", Class = NoClass,
        Params = parameters, State = state,
    };

    [Fact]
    public async Task A_dns_name_is_the_resource_app_and_environment_under_the_backends_domain_and_stays_once_given()
    {
        var routes = new Routes();
        var dns = new DnsProvisioner(routes);

        var first = await dns.ProvisionAsync(Request("www"), CancellationToken.None);
        routes.Taken.Add("www-shop-dev.localhost"); // someone else takes it later: the name given stays
        var again = await dns.ProvisionAsync(Request("www", state: first.State), CancellationToken.None);

        Assert.True(first.Succeeded, first.Failure);
        Assert.Equal("www-shop-dev.localhost", first.Values["host"]);
        Assert.Equal("www-shop-dev.localhost", again.Values["host"]);
        Assert.False(dns.RequiresClass);
        Assert.Equal(["host"], dns.OutputNames!.ToArray());
        Assert.Equal(["/ttl"], dns.ValidateParams(new JsonObject { ["ttl"] = 60 }).Keys);
    }

    [Fact]
    public async Task A_dns_name_another_environment_holds_gets_a_piece_of_the_uid_and_a_backend_without_a_domain_is_refused()
    {
        var routes = new Routes { Taken = { "www-shop-dev.localhost" } };

        var marked = await new DnsProvisioner(routes).ProvisionAsync(Request("www"), CancellationToken.None);
        var noDomain = await new DnsProvisioner(new Routes { Place = RoutePlace.Missing("backend k8s has no domain for host names.") })
            .ProvisionAsync(Request("www"), CancellationToken.None);

        Assert.Equal("www-shop-dev-abcdefgh.localhost", marked.Values["host"]);
        Assert.Equal("backend k8s has no domain for host names.", noDomain.Failure);
    }

    [Fact]
    public void A_route_needs_a_host_and_a_port_of_the_workload_and_its_path_is_a_prefix()
    {
        var route = new RouteProvisioner(new Routes());
        var ports = new Dictionary<string, int> { ["web"] = 80 };

        Assert.Empty(route.ValidateParams(new JsonObject { ["host"] = "${resources.dns.host}", ["path"] = "/api", ["port"] = 80 }));
        Assert.Equal(["/host", "/port"], route.ValidateParams(new JsonObject()).Keys.Order());
        Assert.Equal(["/path"], route.ValidateParams(new JsonObject { ["host"] = "a.localhost", ["path"] = "api/", ["port"] = "web" }).Keys);
        Assert.Equal(["/host"], route.ValidateParams(new JsonObject { ["host"] = "Not A Host", ["port"] = "web" }).Keys);
        Assert.Equal(["/weight"], route.ValidateParams(new JsonObject { ["host"] = "a.localhost", ["port"] = 80, ["weight"] = 1 }).Keys);
        Assert.Empty(route.ValidateAgainstPorts(new JsonObject { ["port"] = "web" }, ports));
        Assert.Empty(route.ValidateAgainstPorts(new JsonObject { ["port"] = 80 }, ports));
        Assert.Contains("web: 80", route.ValidateAgainstPorts(new JsonObject { ["port"] = 8080 }, ports)["/port"], StringComparison.Ordinal);
        // Numbers as a YAML reader may hold them (a long, a parsed JSON element) are ports too.
        Assert.Empty(route.ValidateParams(new JsonObject { ["host"] = "a.localhost", ["port"] = 80L }));
        Assert.Empty(route.ValidateAgainstPorts(new JsonObject { ["port"] = 80L }, ports));
        Assert.Contains("/port", route.ValidateAgainstPorts(new JsonObject { ["port"] = 9999L }, ports).Keys);
    }

    [Fact]
    public async Task A_route_claims_its_host_and_path_keeps_them_for_later_calls_and_releases_them()
    {
        var routes = new Routes();
        var route = new RouteProvisioner(routes);

        var made = await route.ProvisionAsync(Request("web", new JsonObject { ["host"] = "www-shop-dev.localhost", ["port"] = 80 }), CancellationToken.None);
        var repaired = await route.ProvisionAsync(Request("web", state: made.State), CancellationToken.None);
        var removed = await route.DeprovisionAsync(new DeprovisionRequest(Request("web", state: made.State), null), CancellationToken.None);

        Assert.True(made.Succeeded, made.Failure);
        Assert.Empty(made.Values);
        Assert.True(repaired.Succeeded, repaired.Failure);
        Assert.True(removed.Succeeded);
        Assert.Equal(["claim www-shop-dev.localhost/", "claim www-shop-dev.localhost/", "release rabcdefghijklmnopqrs"], routes.Calls);
    }

    [Fact]
    public async Task A_route_another_environment_holds_fails_with_the_seams_reason()
    {
        var route = new RouteProvisioner(new Routes { Refusal = "a.localhost path / is already routed to environment dev of blog." });

        var refused = await route.ProvisionAsync(Request("web", new JsonObject { ["host"] = "a.localhost", ["path"] = "/", ["port"] = 80 }), CancellationToken.None);

        Assert.Equal("a.localhost path / is already routed to environment dev of blog.", refused.Failure);
    }

    [Fact]
    public async Task A_service_port_answers_the_address_the_seam_found_and_keeps_the_network_to_join()
    {
        var addresses = new Addresses { Found = new WorkloadAddress("api-dev", 8080, "api-dev", null) };
        var servicePort = new ServicePortProvisioner(addresses);

        var found = await servicePort.ProvisionAsync(Request("api", new JsonObject { ["workload"] = "api", ["port"] = 8080 }), CancellationToken.None);

        Assert.True(found.Succeeded, found.Failure);
        Assert.Equal("api-dev", found.Values["hostname"]);
        Assert.Equal("8080", found.Values["port"]);
        Assert.Equal("api-dev", ServicePortProvisioner.NetworkOf(found.State));
        Assert.Equal(("api", (int?)8080), addresses.Asked);
        Assert.Equal(["/workload"], servicePort.ValidateParams(new JsonObject { ["port"] = 80 }).Keys);
        Assert.Equal(["/port"], servicePort.ValidateParams(new JsonObject { ["workload"] = "api", ["port"] = "http" }).Keys);
        Assert.Equal(["/workload"], servicePort.ValidateParams(new JsonObject { ["workload"] = "a/b/c" }).Keys);
    }

    [Fact]
    public async Task A_service_port_to_a_workload_that_cannot_be_reached_fails_with_the_reason()
    {
        var servicePort = new ServicePortProvisioner(new Addresses { Found = WorkloadAddress.Unreachable("the team has no app 'api'.") });

        var refused = await servicePort.ProvisionAsync(Request("api", new JsonObject { ["workload"] = "api" }), CancellationToken.None);

        Assert.Equal("the team has no app 'api'.", refused.Failure);
    }

    private sealed class Routes : IEnvironmentRoutes
    {
        public HashSet<string> Taken { get; } = [];
        public RoutePlace Place { get; init; } = new("shop", "dev", ".localhost", null);
        public string? Refusal { get; init; }
        public List<string> Calls { get; } = [];

        public Task<RoutePlace> FindAsync(Guid environmentId, CancellationToken ct) => Task.FromResult(Place);

        public Task<bool> HostTakenAsync(string host, Guid environmentId, CancellationToken ct) => Task.FromResult(Taken.Contains(host));

        public Task<string?> ClaimAsync(RouteClaim claim, CancellationToken ct)
        {
            Calls.Add($"claim {claim.Host}{claim.Path}");
            return Task.FromResult(Refusal);
        }

        public Task<ResourceObservation> ObserveAsync(RouteClaim claim, CancellationToken ct) => Task.FromResult(new ResourceObservation(ResourcePresence.Present));

        public Task<string?> ReleaseAsync(Guid environmentId, string uid, CancellationToken ct)
        {
            Calls.Add($"release {uid}");
            return Task.FromResult<string?>(null);
        }
    }

    private sealed class Addresses : IWorkloadAddresses
    {
        public required WorkloadAddress Found { get; init; }
        public (string, int?) Asked { get; private set; }

        public Task<WorkloadAddress> FindAsync(Guid environmentId, string target, int? port, CancellationToken ct)
        {
            Asked = (target, port);
            return Task.FromResult(Found);
        }
    }
}
