using Paddock.Domain.Applications;
using Paddock.Domain.Backends;

namespace Paddock.Backends.Docker;

// Readiness beyond the main container's health check: the workload's exec and sidecar probes gate the rollout too.
public sealed partial class DockerBackend
{
    /// <summary>One readiness probe of an instance: the container it names (in the workload's words), the engine's
    /// container to run an exec probe in, and the probe.</summary>
    private sealed record ReadinessProbe(string Container, string EngineContainer, ProbeAction Probe);

    /// <summary>The instance's readiness probes besides its health check; none for most workloads (then nothing is asked).</summary>
    private static List<ReadinessProbe> ReadinessProbesOf(WorkloadSpec spec, WorkloadInstance instance)
    {
        var probes = new List<ReadinessProbe>();
        if (spec.Readiness is { } main) probes.Add(new ReadinessProbe("main", instance.Id, main));
        foreach (var sidecar in spec.Sidecars.Where(s => s.Readiness is not null))
            probes.Add(new ReadinessProbe(sidecar.Name, DockerLabels.SidecarName(spec, sidecar, instance.Ordinal), sidecar.Readiness!));
        return probes;
    }

    /// <summary>Runs each probe until it passes, until the health check's timeout (counted from <paramref name="started"/>)
    /// runs out, or until <paramref name="abandonReason"/> gives a reason to stop (an exited container). Probes that passed
    /// are not asked again; the pause between rounds grows from 50 ms to the health check's interval.</summary>
    private async Task<ProbeOutcome> WaitUntilReadyAsync(WorkloadSpec spec, WorkloadInstance instance, List<ReadinessProbe> probes,
        DateTimeOffset started, Func<CancellationToken, Task<string?>> abandonReason, CancellationToken ct)
    {
        var deadline = started + TimeSpan.FromSeconds(spec.HealthCheck.TimeoutSeconds);
        var interval = TimeSpan.FromSeconds(spec.HealthCheck.IntervalSeconds);
        var pause = TimeSpan.FromMilliseconds(50);
        var waiting = probes.ToList();
        var last = new Dictionary<ReadinessProbe, string>();
        var attempts = 0;
        // The instance keeps its address while it starts: looked up once, by the first HTTP probe that needs it.
        string? address = null;
        async Task<string?> AddressAsync(CancellationToken token) => address ??= await _runner.AddressOfAsync(instance.Id, token);
        while (true)
        {
            attempts++;
            foreach (var probe in waiting.ToList())
            {
                var (passed, detail) = await _runner.RunAsync(probe.EngineContainer, probe.Probe, AddressAsync, _options.ProbeTimeout, ct);
                if (passed) waiting.Remove(probe);
                else last[probe] = detail;
            }
            if (waiting.Count == 0)
                return new ProbeOutcome(ProbeVerdict.Passed, $"readiness probes of {string.Join(", ", probes.Select(p => p.Container))} passed", attempts);
            if (await abandonReason(ct) is { } reason) return new ProbeOutcome(ProbeVerdict.Abandoned, reason, attempts);
            var left = deadline - _clock.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                var failing = string.Join("; ", waiting.Select(p => $"container {p.Container} ({p.Probe.Describe()}): {last[p]}"));
                return new ProbeOutcome(ProbeVerdict.TimedOut,
                    $"The readiness probe did not pass within {spec.HealthCheck.TimeoutSeconds}s ({attempts} attempts; last: {failing})", attempts);
            }
            await Task.Delay(pause < left ? pause : left, _clock, ct);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, interval.Ticks));
        }
    }
}
