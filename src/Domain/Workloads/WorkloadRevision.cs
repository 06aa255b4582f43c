namespace Paddock.Domain.Workloads;

/// <summary>Where a revision's text came from.</summary>
public enum RevisionOrigin
{
    /// <summary>A Score file someone submitted and applied through a plan.</summary>
    Submitted = 0,
    /// <summary>Written by Paddock from the application's settings (an app made by the form or the JSON API, or
    /// changed there since its last revision), so that every app has a workload to plan against and export.</summary>
    Settings = 1,
}

/// <summary>One version of an application's workload (a Score file). Immutable: a change is a new revision with the
/// next number. The text is kept exactly as submitted; <see cref="ContentHash"/> is the hash of its canonical form,
/// so two texts that say the same thing have the same hash.</summary>
public sealed class WorkloadRevision
{
    public Guid Id { get; private set; }
    public Guid ApplicationId { get; private set; }
    /// <summary>1 for the app's first revision, then 2, 3, ...</summary>
    public int Number { get; private set; }
    public RevisionOrigin Origin { get; private set; }
    public string Text { get; private set; } = "";
    public string ContentHash { get; private set; } = "";
    public string CreatedById { get; private set; } = "";
    public string CreatedByName { get; private set; } = "";
    public DateTime CreatedAt { get; private set; }

    private WorkloadRevision() { }

    public WorkloadRevision(Guid applicationId, int number, RevisionOrigin origin, string text, string contentHash,
        string createdById, string createdByName, DateTime createdAt)
    {
        if (number < 1) throw new ArgumentOutOfRangeException(nameof(number), "Revisions are numbered from 1.");
        Id = Guid.CreateVersion7();
        ApplicationId = applicationId;
        Number = number;
        Origin = origin;
        Text = text;
        ContentHash = contentHash;
        CreatedById = createdById;
        CreatedByName = createdByName;
        CreatedAt = createdAt;
    }
}
