namespace Paddock.Workloads.Source;

/// <summary>A place in the submitted text, 1-based, as editors count lines and columns.</summary>
public readonly record struct SourcePosition(int Line, int Column)
{
    public override string ToString() => $"{Line}:{Column}";
}
