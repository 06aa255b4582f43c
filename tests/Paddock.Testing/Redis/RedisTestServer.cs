namespace Paddock.Testing;

/// <summary>The throwaway redis-server that <c>./test.sh</c> starts (scripts/lib/redis.sh): its address
/// (<c>PADDOCK_TEST_REDIS</c>, host:port) and the admin user every provisioner test administers it as.</summary>
public static class RedisTestServer
{
    public static string Host => Address.Split(':')[0];

    public static int Port => int.Parse(Address.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);

    public static string AdminUser => Required("PADDOCK_TEST_REDIS_USER");

    public static string AdminPassword => Required("PADDOCK_TEST_REDIS_PASSWORD");

    private static string Address => Required("PADDOCK_TEST_REDIS");

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name)
        ?? throw new InvalidOperationException($"{name} is not set: run the tests with ./test.sh, which starts a throwaway redis-server.");
}
