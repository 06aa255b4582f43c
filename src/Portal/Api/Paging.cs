using System.Globalization;

namespace Paddock.Portal.Api;

/// <summary>Which page of a list, counted from 1, and how many items a page holds. Parsed once from the query string
/// where the request enters (<see cref="Parse"/>); services receive numbers they can trust.</summary>
public sealed record Paging(int Page, int PageSize)
{
    public int Skip => (Page - 1) * PageSize;

    /// <summary>The page after this one, or null when this one reaches the end of <paramref name="total"/> items.</summary>
    public int? NextPage(int total) => (long)Page * PageSize < total ? Page + 1 : null;

    /// <summary><c>?page=</c> and <c>?pageSize=</c>: blank means the first page and <paramref name="defaultSize"/>; anything
    /// else must be a whole number in range, or the answer is a 400 naming the field. The largest page is capped so that
    /// <see cref="Skip"/> cannot overflow.</summary>
    public static Outcome<Paging> Parse(string? page, string? pageSize, int defaultSize, int maxSize)
    {
        var errors = new FieldErrors();
        var number = ParseNumber(page, "page", 1, int.MaxValue / maxSize, errors);
        var size = ParseNumber(pageSize, "pageSize", defaultSize, maxSize, errors);
        return errors.Any ? errors.ToFailure() : new Paging(number, size);
    }

    private static int ParseNumber(string? text, string field, int fallback, int max, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1 && value <= max) return value;
        errors.Add(field, $"'{field}' must be a whole number from 1 to {max}.");
        return fallback;
    }
}
