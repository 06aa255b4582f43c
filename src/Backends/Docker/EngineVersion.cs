namespace Paddock.Backends.Docker;

/// <summary>The engine's version text, read once and then again only every <see cref="RefreshAfter"/>. Podman answers
/// <c>/version</c> in over a second (it asks its runtimes for theirs) where <c>/_ping</c> takes a millisecond; the
/// backend list and every log request ask whether the engine answers, and nobody should wait a second for that.</summary>
internal sealed class EngineVersion(Func<CancellationToken, Task<string>> read, TimeProvider clock, TimeSpan readTimeout)
{
    /// <summary>An engine is upgraded by restarting it, which a describe in between usually sees as unreachable
    /// (<see cref="Forget"/>); this bounds how long a restart nobody saw shows the old version.</summary>
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromMinutes(10);

    private readonly Lock _gate = new();
    private (string Text, DateTimeOffset ReadAt)? _known;
    private Task? _refreshing;

    /// <summary>The version: read now when none is known; a stale one is answered while a fresh one is read.</summary>
    public async Task<string> GetAsync(CancellationToken ct)
    {
        lock (_gate)
        {
            if (_known is { } current)
            {
                if (clock.GetUtcNow() - current.ReadAt >= RefreshAfter && _refreshing is null or { IsCompleted: true })
                    _refreshing = Task.Run(RefreshAsync, CancellationToken.None);
                return current.Text;
            }
        }
        return await ReadAsync(ct);
    }

    /// <summary>The engine stopped answering: whatever answers next may be another version.</summary>
    public void Forget()
    {
        lock (_gate) _known = null;
    }

    private async Task RefreshAsync()
    {
        using var timeout = new CancellationTokenSource(readTimeout);
        try
        {
            await ReadAsync(timeout.Token);
        }
        catch (Exception)
        {
            // The stale version stays until a later describe reads it again; the ping says whether the engine answers.
        }
    }

    private async Task<string> ReadAsync(CancellationToken ct)
    {
        var text = await read(ct);
        lock (_gate) _known = (text, clock.GetUtcNow());
        return text;
    }
}
