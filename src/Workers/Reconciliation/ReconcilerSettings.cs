using Paddock.Domain.Reconciliation;

namespace Paddock.Workers.Reconciliation;

/// <summary>Configuration section <c>Reconciler</c>: how often the world is compared with the desired state, and
/// how hard a dying instance is restarted.</summary>
public sealed class ReconcilerSettings
{
    public const string Section = "Reconciler";

    /// <summary>Off, this worker never reconciles (nor contends for leadership).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>A full resync this often (by the leader), whatever the engine events said.</summary>
    public double ResyncSeconds { get; set; } = 30;

    /// <summary>Up to this share of <see cref="ResyncSeconds"/> is added at random, so workers restarted together do not beat in step.</summary>
    public double JitterRatio { get; set; } = 0.2;

    /// <summary>Resources (databases, caches, volumes) of running environments are observed on their servers this often,
    /// at the first full resync after the time is up; engine events do not trigger it, so a deploy does not pay for it.</summary>
    public double ResourceCheckSeconds { get; set; } = 60;

    /// <summary>Engine events for one environment within this window make one reconcile.</summary>
    public int DebounceMilliseconds { get; set; } = 150;

    /// <summary>How often a follower tries to take leadership, and the leader checks it still holds it.</summary>
    public double LeadershipCheckSeconds { get; set; } = 2;

    /// <summary>Environments read per query in a full resync.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>How many environments are repaired at the same time.</summary>
    public int Parallelism { get; set; } = 4;

    public CrashLoopSettings CrashLoop { get; set; } = new();

    public TimeSpan Resync => TimeSpan.FromSeconds(ResyncSeconds);

    public TimeSpan ResourceCheck => TimeSpan.FromSeconds(ResourceCheckSeconds);

    public TimeSpan ResyncWithJitter() => TimeSpan.FromSeconds(ResyncSeconds * (1 + JitterRatio * Random.Shared.NextDouble()));
}

/// <summary>Section <c>Reconciler:CrashLoop</c>: after <see cref="MaxRestarts"/> repairs of one deployment within
/// <see cref="WindowSeconds"/>, the environment is Degraded (CrashLoop) and left alone until the next deployment.</summary>
public sealed class CrashLoopSettings
{
    public int MaxRestarts { get; set; } = CrashLoopPolicy.Default.MaxRestarts;
    public double WindowSeconds { get; set; } = CrashLoopPolicy.Default.Window.TotalSeconds;
    public double InitialBackoffSeconds { get; set; } = CrashLoopPolicy.Default.InitialBackoff.TotalSeconds;
    public double MaxBackoffSeconds { get; set; } = CrashLoopPolicy.Default.MaxBackoff.TotalSeconds;

    /// <summary>How many of the last log lines the CrashLoop reason carries.</summary>
    public int LogLines { get; set; } = 5;

    public CrashLoopPolicy Policy() => new(MaxRestarts, TimeSpan.FromSeconds(WindowSeconds),
        TimeSpan.FromSeconds(InitialBackoffSeconds), TimeSpan.FromSeconds(MaxBackoffSeconds));
}
