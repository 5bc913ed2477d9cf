using System.Globalization;
using NotifyHub.Domain.Validation;
using NotifyHub.Storage;

namespace NotifyHub.Hosting;

/// <summary>
/// Reads a list endpoint's query string: each parameter at most once, and the paging pair every list shares —
/// <c>pageSize</c> (1–1000, default 100) and <c>continuationToken</c> (as <see cref="ContinuationToken"/> gives them
/// out). Every bad parameter is added to <see cref="Errors"/>, named.
/// </summary>
public sealed class QueryParameters(IQueryCollection query)
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;

    public FieldErrors Errors { get; } = new();

    /// <summary>The parameter's value, or null when absent; given more than once is an error.</summary>
    public string? Single(string name)
    {
        if (!query.TryGetValue(name, out var values)) return null;
        if (values.Count > 1) Errors.Add(name, "must be given once");
        return values[0];
    }

    /// <summary>An ISO 8601 instant with an offset (e.g. <c>2026-11-26T09:00:00Z</c>), or null when absent.</summary>
    public DateTimeOffset? Instant(string name)
    {
        var text = Single(name);
        if (text is null) return null;
        if (DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture,
                DateTimeStyles.None, out var at)
            && at.UtcDateTime.Year is >= 2000 and <= 9998)
            return at;
        Errors.Add(name, "must be an ISO 8601 instant with an offset, e.g. 2026-11-26T09:00:00Z");
        return null;
    }

    /// <summary>A calendar date <c>yyyy-MM-dd</c>, or null when absent.</summary>
    public DateOnly? Date(string name)
    {
        var text = Single(name);
        if (text is null) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) && day.Year is >= 2000 and <= 9998)
            return day;
        Errors.Add(name, "must be a date in the form yyyy-MM-dd, e.g. 2026-11-26");
        return null;
    }

    /// <summary>One of <paramref name="allowed"/>, or <paramref name="fallback"/> when absent.</summary>
    public string? OneOf(string name, IReadOnlyList<string> allowed, string? fallback)
    {
        var text = Single(name);
        if (text is null) return fallback;
        if (allowed.Contains(text)) return text;
        Errors.Add(name, "must be one of: " + string.Join(", ", allowed));
        return fallback;
    }

    public int PageSize()
    {
        var text = Single("pageSize");
        if (text is null) return DefaultPageSize;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is >= 1 and <= MaxPageSize) return size;
        Errors.Add("pageSize", $"must be a whole number from 1 to {MaxPageSize}");
        return DefaultPageSize;
    }

    /// <summary>The table token inside <c>continuationToken</c>, or null for the first page.</summary>
    public string? TableToken()
    {
        var text = Single("continuationToken");
        if (text is null) return null;
        if (ContinuationToken.TryDecode(text, out var token)) return token;
        Errors.Add("continuationToken", "is not a token this API gave out");
        return null;
    }
}
