namespace Paddock.Workers.Reconciliation;

public enum ReconcileResult
{
    /// <summary>A deploy, teardown or another reconcile holds the environment's lock; they settle its state.</summary>
    Busy = 0,
    /// <summary>Deleted, deleting, deploying, or on a backend this worker does not know.</summary>
    Skipped = 1,
    InSync = 2,
    Repaired = 3,
    /// <summary>Self-heal is off: drift recorded, nothing repaired.</summary>
    Reported = 4,
    /// <summary>The instance keeps dying: the next repair waits (see <see cref="ReconcileOutcome.RecheckAt"/>).</summary>
    BackingOff = 5,
    CrashLoop = 6,
    RepairFailed = 7,
    /// <summary>The backend did not answer; nothing was changed.</summary>
    Unreachable = 8,
}

/// <summary>What one reconcile of one environment did; <see cref="RecheckAt"/> asks for another look then.</summary>
public sealed record ReconcileOutcome(ReconcileResult Result, DateTime? RecheckAt = null)
{
    public static ReconcileOutcome Of(ReconcileResult result) => new(result);
}
