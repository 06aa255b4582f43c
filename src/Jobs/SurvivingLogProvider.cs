using Hangfire.AspNetCore;
using Hangfire.Logging;
using Microsoft.Extensions.Logging;

namespace Paddock.Jobs;

/// <summary>Hangfire's log provider is process-wide (<c>LogProvider.Current</c>) and asked for a logger whenever a job
/// client or server part is built. Its ASP.NET Core default holds one host's <see cref="ILoggerFactory"/>, so in a
/// process that runs several hosts one after another (the tests), a disposed host's factory made every later job
/// client throw <see cref="ObjectDisposedException"/>. This one hands out nothing-logging loggers instead.</summary>
internal sealed class SurvivingLogProvider(ILoggerFactory factory) : ILogProvider
{
    private readonly AspNetCoreLogProvider _inner = new(factory);

    public ILog GetLogger(string name)
    {
        try
        {
            return _inner.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return Silent.Instance;
        }
    }

    private sealed class Silent : ILog
    {
        public static readonly Silent Instance = new();

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
