namespace Paddock.Workloads.Source;

/// <summary>
/// One thing wrong with a submitted workload: where it is (the JSON pointer into the document and, when the
/// text is at hand, its line and column) and what is wrong, in words a user reads.
/// </summary>
public sealed record WorkloadError(string Pointer, SourcePosition? Position, string Message)
{
    public override string ToString() =>
        Position is { } p ? $"{p} {PointerForDisplay}: {Message}" : $"{PointerForDisplay}: {Message}";

    private string PointerForDisplay => Pointer.Length == 0 ? "/" : Pointer;
}
