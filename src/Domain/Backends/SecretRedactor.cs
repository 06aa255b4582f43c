namespace Paddock.Domain.Backends;

/// <summary>The one rule for text that leaves a backend (failure reasons, last log lines, progress events): every
/// known secret value of the deployment is replaced by <see cref="Mark"/> before the text is stored or shown.
/// Engines quote what they refuse (<c>NAME=value</c>) and escape control characters their own way (<c>\x00</c>,
/// <c>\u0000</c>), so each run of a value between control characters is redacted too. Values shorter than
/// <see cref="MinimumLength"/> are left alone: replacing every "1" or "on" would garble text and hide nothing.</summary>
public sealed class SecretRedactor
{
    public const string Mark = "[redacted]";
    public const int MinimumLength = 4;

    private readonly string[] _values;

    public SecretRedactor(IEnumerable<string> secretValues)
    {
        _values = secretValues
            .SelectMany(value => value.Split(IsControl, StringSplitOptions.None).Prepend(value))
            .Where(value => value.Length >= MinimumLength)
            .Distinct(StringComparer.Ordinal)
            // Longest first, so that a value containing another is replaced whole.
            .OrderByDescending(value => value.Length)
            .ToArray();
    }

    /// <summary>Redacts the spec's secret values and its registry password.</summary>
    public static SecretRedactor For(WorkloadSpec spec) =>
        new(spec.Secrets.Values.Concat(spec.RegistryCredentials is { } registry ? [registry.Password] : []));

    public bool IsEmpty => _values.Length == 0;

    public string Redact(string text)
    {
        foreach (var value in _values)
            if (text.Contains(value, StringComparison.Ordinal)) text = text.Replace(value, Mark, StringComparison.Ordinal);
        return text;
    }

    public BackendEvent Redact(BackendEvent e) => e with { Message = Redact(e.Message) };

    public ApplyResult Redact(ApplyResult result) => result.Failure is not { } failure
        ? result
        : ApplyResult.Failed(failure.Kind, Redact(failure.Reason), failure.LastLogLines.Select(Redact).ToList());

    /// <summary>A progress sink that redacts every event before passing it on.</summary>
    public IProgress<BackendEvent> Wrap(IProgress<BackendEvent> inner) => IsEmpty ? inner : new Redacting(this, inner);

    private static readonly char[] IsControl = Enumerable.Range(0, 32).Select(c => (char)c).Append('\u007f').ToArray();

    private sealed class Redacting(SecretRedactor redactor, IProgress<BackendEvent> inner) : IProgress<BackendEvent>
    {
        public void Report(BackendEvent value) => inner.Report(redactor.Redact(value));
    }
}

public static class RedactedApply
{
    /// <summary><see cref="IRuntimeBackend.ApplyAsync"/> with the deployment's secret values redacted from its events and
    /// its failure: how every caller applies a workload, so that no engine text carries a secret further.</summary>
    public static async Task<ApplyResult> ApplyRedactedAsync(this IRuntimeBackend backend, WorkloadSpec spec, IProgress<BackendEvent> progress, CancellationToken ct)
    {
        var redactor = SecretRedactor.For(spec);
        return redactor.Redact(await backend.ApplyAsync(spec, redactor.Wrap(progress), ct));
    }
}
