using System.Net;
using Paddock.Integration.Tests.Applications;
using Paddock.Integration.Tests.Infrastructure;

namespace Paddock.Integration.Tests.Environments;

public sealed class SelfHealSettingTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task Self_heal_is_on_by_default_and_switching_it_off_and_back_is_audited_as_an_environment_update()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var app = Unique.Name("app");
        await scenario.CreateAppAsync(app, null);
        var path = $"/api/v1/apps/{app}/environments/dev";
        await scenario.CreateEnvironmentAsync(app, "dev", new { name = "dev", stage = "Development", backend = "docker" });
        Assert.True((await (await scenario.Member.GetAsync(path)).JsonAsync()).GetProperty("selfHeal").GetBoolean());

        var (off, offCall) = await scenario.Member.CallAsync(HttpMethod.Patch, path, new Dictionary<string, object?> { ["selfHeal"] = false });
        await Api.EnsureAsync(off, HttpStatusCode.OK);
        Assert.False((await off.JsonAsync()).GetProperty("selfHeal").GetBoolean());
        var audit = Assert.Single(portal.AuditOf(offCall));
        Assert.Equal("environment.updated", audit.Action);
        Assert.Contains("\"selfHeal\":true", audit.Before);
        Assert.Contains("\"selfHeal\":false", audit.After);
        Assert.False((await (await scenario.Member.GetAsync(path)).JsonAsync()).GetProperty("selfHeal").GetBoolean());

        var (reset, _) = await scenario.Member.CallAsync(HttpMethod.Patch, path, new Dictionary<string, object?> { ["selfHeal"] = null });
        await Api.EnsureAsync(reset, HttpStatusCode.OK);
        Assert.True((await reset.JsonAsync()).GetProperty("selfHeal").GetBoolean());
    }
}
