using Microsoft.AspNetCore.Http.HttpResults;

namespace Paddock.Portal.Api;

public enum OutcomeKind
{
    Ok,
    NotFound,
    Invalid,
    Conflict,
    PreconditionFailed,
    Forbidden,
}

/// <summary>What a feature service answers: a value, or why not. The API turns failures into RFC 7807
/// problem details; the UI shows <see cref="Message"/> and the field errors next to their inputs.</summary>
public sealed record Outcome<T>(OutcomeKind Kind, T? Value, string? Message, IDictionary<string, string[]>? Errors)
{
    public bool IsOk => Kind == OutcomeKind.Ok;

    public static Outcome<T> Ok(T value) => new(OutcomeKind.Ok, value, null, null);

    public static implicit operator Outcome<T>(T value) => Ok(value);

    public static implicit operator Outcome<T>(Failure failure) => new(failure.Kind, default, failure.Message, failure.Errors);

    public ProblemHttpResult ToProblem() => new Failure(Kind, Message, Errors).ToProblem();
}

/// <summary>A failed outcome of any value type, so services can <c>return Failure.NotFound(...)</c>.</summary>
public sealed record Failure(OutcomeKind Kind, string? Message, IDictionary<string, string[]>? Errors = null)
{
    public static Failure NotFound(string what) => new(OutcomeKind.NotFound, $"{what} was not found.");

    public static Failure Conflict(string message) => new(OutcomeKind.Conflict, message);

    /// <summary>A conflict caused by one field's value (a name already taken): the UI shows it at that field, and the
    /// API's problem details list it under <c>errors</c> as a validation problem would.</summary>
    public static Failure Conflict(string field, string message) =>
        new(OutcomeKind.Conflict, message, new Dictionary<string, string[]> { [field] = [message] });

    public static Failure Forbidden(string message) => new(OutcomeKind.Forbidden, message);

    public static Failure PreconditionFailed() =>
        new(OutcomeKind.PreconditionFailed, "The resource was changed by someone else since you loaded it. Reload it and apply your change again.");

    public static Failure Invalid(IDictionary<string, string[]> errors) => new(OutcomeKind.Invalid, "One or more fields are invalid.", errors);

    public static Failure Invalid(string field, string error) => Invalid(new Dictionary<string, string[]> { [field] = [error] });

    /// <summary>The message of <see cref="Unprocessable(string, string)"/>, by which the API answers 422.</summary>
    public const string UnprocessableMessage = "The request is well-formed, but what it names cannot be used.";

    /// <summary>A field error in a well-formed request: what it names does not exist or cannot be used (a copy source
    /// that is not there, a data loss not confirmed). The UI sees an invalid field as for <see cref="Invalid(string, string)"/>;
    /// the API answers 422 instead of 400.</summary>
    public static Failure Unprocessable(string field, string error) =>
        new(OutcomeKind.Invalid, UnprocessableMessage, new Dictionary<string, string[]> { [field] = [error] });

    public static Failure Unprocessable(IDictionary<string, string[]> errors) => new(OutcomeKind.Invalid, UnprocessableMessage, errors);

    public ProblemHttpResult ToProblem() => Kind switch
    {
        OutcomeKind.Invalid when Message == UnprocessableMessage => TypedResults.Problem(new HttpValidationProblemDetails(Errors ?? new Dictionary<string, string[]>())
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "Unprocessable request",
            Detail = string.Join(" ", (Errors ?? new Dictionary<string, string[]>()).SelectMany(e => e.Value)),
        }),
        OutcomeKind.Invalid => TypedResults.Problem(new HttpValidationProblemDetails(Errors ?? new Dictionary<string, string[]>())
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Invalid request",
            Detail = Message,
        }),
        OutcomeKind.NotFound => TypedResults.Problem(Message, statusCode: StatusCodes.Status404NotFound, title: "Not found"),
        OutcomeKind.Conflict => TypedResults.Problem(Message, statusCode: StatusCodes.Status409Conflict, title: "Conflict",
            extensions: Errors is null ? null : new Dictionary<string, object?> { ["errors"] = Errors }),
        OutcomeKind.PreconditionFailed => TypedResults.Problem(Message, statusCode: StatusCodes.Status412PreconditionFailed, title: "Precondition failed"),
        OutcomeKind.Forbidden => TypedResults.Problem(Message, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden"),
        _ => throw new InvalidOperationException($"{Kind} is not a failure."),
    };
}

/// <summary>Collects field errors while validating a request.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public bool Has(string field) => _errors.ContainsKey(field);

    public void Add(string field, string? error)
    {
        if (error is null) return;
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(error);
    }

    public void AddAll(IEnumerable<KeyValuePair<string, string>> errors)
    {
        foreach (var (field, error) in errors) Add(field, error);
    }

    public Failure ToFailure() => Failure.Invalid(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));

    /// <summary>The errors as a 422 (<see cref="Failure.Unprocessable(IDictionary{string, string[]})"/>).</summary>
    public Failure ToUnprocessable() => Failure.Unprocessable(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
}
