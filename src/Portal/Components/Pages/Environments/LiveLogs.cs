using Paddock.Portal.Api;
using Paddock.Portal.Features.Environments;

namespace Paddock.Portal.Components.Pages.Environments;

/// <summary>The environment's log lines as its page shows them: the last <see cref="Tail"/> lines, then, while
/// following, new ones as they are written. The backend is read off the render thread; each change is applied through
/// the page's <c>onRenderThread</c> (its InvokeAsync followed by a render).</summary>
public sealed class LiveLogs : IDisposable
{
    public const int Tail = 200;
    public const int MaxLines = 2000;

    private readonly List<LogLineView> _lines = [];
    private CancellationTokenSource? _reading;

    public IReadOnlyList<LogLineView> Lines => _lines;

    /// <summary>Why the lines cannot be read now (backend unreachable, not configured, stopped sending).</summary>
    public string? UnavailableReason { get; private set; }

    public bool Follow { get; set; }

    /// <summary>Starts reading from an opened source; an earlier reading must have been stopped (<see cref="Stop"/>).</summary>
    public void Start(Outcome<LogSource> opened, Func<Action, Task> onRenderThread, CancellationToken pageClosed)
    {
        Stop();
        if (!opened.IsOk) { UnavailableReason = opened.Message; return; }
        var source = opened.Value!;
        UnavailableReason = source.UnavailableReason;
        if (source.IsEmpty || UnavailableReason is not null) return;
        _lines.Clear();
        var reading = _reading = CancellationTokenSource.CreateLinkedTokenSource(pageClosed);
        var follow = Follow;
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var line in source.ReadAsync(Tail, follow, reading.Token))
                {
                    await onRenderThread(() =>
                    {
                        _lines.Add(line);
                        if (_lines.Count > MaxLines) _lines.RemoveRange(0, _lines.Count - MaxLines);
                    });
                }
            }
            catch (OperationCanceledException) { }
            catch (Exception e) when (!reading.IsCancellationRequested)
            {
                await onRenderThread(() => UnavailableReason = e.Message);
            }
        });
    }

    public void Stop()
    {
        _reading?.Cancel();
        _reading = null;
    }

    public void Dispose() => Stop();
}
