using System.Text.RegularExpressions;
using Paddock.Domain.Resources;

namespace Paddock.Provisioners.Tests;

public sealed partial class ResourceUidTests
{
    [Fact]
    public void A_uid_is_the_same_for_the_same_environment_and_resource()
    {
        var environment = Guid.NewGuid();
        Assert.Equal(ResourceUid.For(environment, "postgres.default#web.db"), ResourceUid.For(environment, "postgres.default#web.db"));
    }

    [Fact]
    public void Another_environment_or_resource_gets_another_uid()
    {
        var environment = Guid.NewGuid();
        var uid = ResourceUid.For(environment, "postgres.default#web.db");
        Assert.NotEqual(uid, ResourceUid.For(Guid.NewGuid(), "postgres.default#web.db"));
        Assert.NotEqual(uid, ResourceUid.For(environment, "postgres.default#web.cache"));
    }

    [Fact]
    public void A_uid_is_a_short_lowercase_identifier_every_server_accepts_unquoted()
    {
        for (var i = 0; i < 200; i++)
        {
            var uid = ResourceUid.For(Guid.NewGuid(), $"redis.default#web.cache{i}");
            Assert.Matches(Identifier(), uid);
        }
    }

    [GeneratedRegex("^r[a-z2-7]{19}$")]
    private static partial Regex Identifier();
}
