using System.Globalization;
using NodaTime;
using NodaTime.Text;
using NotifyHub.Domain.Validation;

namespace NotifyHub.Domain.Timeliness;

/// <summary>The checks every imported term calendar passes, wherever it came from (an LA's CSV, a school's JSON).</summary>
internal static class TermChecks
{
    public const int MaxTerms = 1000;
    public const int MaxNameLength = 100;

    public static readonly LocalDate Earliest = new(1900, 1, 1);
    public static readonly LocalDate Latest = new(2199, 12, 31);

    public const string DateReason = "must be a date in the form yyyy-MM-dd";

    private static readonly LocalDatePattern DatePattern = LocalDatePattern.CreateWithInvariantCulture("uuuu-MM-dd");

    /// <summary>A yyyy-MM-dd date within the range the hub accepts anywhere; null with a reason otherwise.</summary>
    public static LocalDate? Date(string? text, string path, FieldErrors errors)
    {
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            errors.Add(path, "is required");
            return null;
        }
        var result = DatePattern.Parse(trimmed);
        if (!result.Success || trimmed.Length != 10)
        {
            errors.Add(path, DateReason);
            return null;
        }
        if (result.Value < Earliest || result.Value > Latest)
        {
            errors.Add(path, string.Create(CultureInfo.InvariantCulture, $"must be between {Earliest:uuuu-MM-dd} and {Latest:uuuu-MM-dd}"));
            return null;
        }
        return result.Value;
    }

    public static string? Name(string? text, string path, FieldErrors errors)
    {
        var name = text?.Trim() ?? "";
        if (name.Length == 0) errors.Add(path, "is required");
        else if (name.Length > MaxNameLength) errors.Add(path, $"must be at most {MaxNameLength} characters");
        else if (name.Any(char.IsControl)) errors.Add(path, "must not contain control characters");
        else return name;
        return null;
    }

    /// <summary>
    /// Checks that no two terms share a day, naming the later term's first day; returns the terms sorted by first
    /// day. <paramref name="firstDayPath"/> names a term's first-day field, <paramref name="label"/> the term itself.
    /// </summary>
    public static IReadOnlyList<Term> SortedWithoutOverlaps<TSource>(
        IReadOnlyList<(Term Term, TSource Source)> terms, Func<TSource, string> firstDayPath, Func<TSource, string> label, FieldErrors errors)
    {
        var sorted = terms.OrderBy(t => t.Term.FirstDay).ThenBy(t => t.Term.LastDay).ToList();
        // Compare with the latest-ending term so far, so a long term that swallows two later ones is caught for both.
        var latest = 0;
        for (var i = 1; i < sorted.Count; i++)
        {
            var previous = sorted[latest];
            if (sorted[i].Term.FirstDay <= previous.Term.LastDay)
            {
                errors.Add(firstDayPath(sorted[i].Source), $"overlaps {label(previous.Source)} (\"{previous.Term.Name}\", {previous.Term.FirstDay:uuuu-MM-dd} to {previous.Term.LastDay:uuuu-MM-dd})");
            }
            if (sorted[i].Term.LastDay > previous.Term.LastDay) latest = i;
        }
        return [.. sorted.Select(t => t.Term)];
    }
}
