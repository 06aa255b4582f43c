using Paddock.Domain.Sources;

namespace Paddock.Domain.Tests.Sources;

public sealed class GitSourceTests
{
    private static readonly Guid Repository = Guid.NewGuid();
    private static readonly DateTime At = new(2026, 12, 7, 20, 0, 0, DateTimeKind.Utc);

    private static GitSource PlannedSource(bool allowStatefulDeletes)
    {
        var source = new GitSource(Guid.NewGuid(), Guid.NewGuid(), "alice", At);
        source.Follow(Repository, "main", "score.yaml", null, autoApply: true, allowStatefulDeletes: allowStatefulDeletes);
        source.Planned(new GitCommitInfo("abc123", "Drop the database", "Ada", At), Guid.NewGuid(), At);
        return source;
    }

    [Fact]
    public void Allowing_stateful_deletes_makes_the_waiting_head_looked_at_again()
    {
        var source = PlannedSource(allowStatefulDeletes: false);

        source.Follow(Repository, "main", "score.yaml", null, autoApply: true, allowStatefulDeletes: true);

        Assert.True(source.AllowStatefulDeletes);
        Assert.Null(source.HeadSha);
    }

    [Fact]
    public void Following_the_same_place_with_the_same_policies_keeps_the_head_it_saw()
    {
        var source = PlannedSource(allowStatefulDeletes: false);

        source.Follow(Repository, "main", "score.yaml", null, autoApply: true, allowStatefulDeletes: false, allowEdits: true);

        Assert.Equal("abc123", source.HeadSha);
        Assert.True(source.AllowEdits);
    }
}
