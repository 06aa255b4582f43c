namespace Paddock.Workers.Reconciliation;

/// <summary>Why a reconcile runs, where the reason changes what it looks at.</summary>
public static class ReconcileTriggers
{
    /// <summary>The periodic look at an environment's resources on their servers (<see cref="ReconcilerSettings.ResourceCheckSeconds"/>).</summary>
    public const string ResourceCheck = "resource check";
}
