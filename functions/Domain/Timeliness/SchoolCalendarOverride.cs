using System.Text.Json;
using NodaTime;
using NotifyHub.Domain.Validation;

namespace NotifyHub.Domain.Timeliness;

/// <summary>
/// A school's own calendar (academies set their own dates): terms that replace its LA's when present, and days it
/// is closed inside term (INSET days). JSON: <c>{"terms":[{"name","firstDay","lastDay"}], "closedDays":["yyyy-MM-dd"]}</c>.
/// </summary>
public sealed record SchoolCalendarOverride(IReadOnlyList<Term>? Terms, IReadOnlySet<LocalDate> ClosedDays)
{
    /// <summary>A school year has five or six INSET days; a few years of them fit easily.</summary>
    public const int MaxClosedDays = 400;

    private static readonly HashSet<string> KnownFields = new(StringComparer.Ordinal) { "terms", "closedDays" };
    private static readonly HashSet<string> KnownTermFields = new(StringComparer.Ordinal) { "name", "firstDay", "lastDay" };

    public static SchoolCalendarOverride? Parse(ReadOnlySpan<byte> utf8Json, out FieldErrors errors)
    {
        errors = new FieldErrors();
        if (JsonText.ParseObject(utf8Json, errors, "must be a JSON object") is not { } document) return null;
        using (document)
        {
            var root = document.RootElement;
            JsonText.Check(root, errors);
            if (errors.Any) return null;
            RefuseUnknown(root, "", KnownFields, errors);

            var hasTerms = root.TryGetProperty("terms", out var termsElement) && termsElement.ValueKind != JsonValueKind.Null;
            var terms = hasTerms ? ReadTerms(termsElement, errors) : null;
            var hasClosedDays = root.TryGetProperty("closedDays", out var closedElement) && closedElement.ValueKind != JsonValueKind.Null;
            var closedDays = hasClosedDays ? ReadClosedDays(closedElement, errors) : new HashSet<LocalDate>();
            if (!hasTerms && !hasClosedDays)
            {
                errors.Add("$", "must have terms or closedDays (or both)");
            }
            return errors.Any ? null : new SchoolCalendarOverride(terms, closedDays);
        }
    }

    private static IReadOnlyList<Term>? ReadTerms(JsonElement element, FieldErrors errors)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            errors.Add("terms", "must be an array");
            return null;
        }
        var count = element.GetArrayLength();
        if (count == 0)
        {
            // An empty calendar would make the school never open; leave terms out to use the LA's.
            errors.Add("terms", "must have at least one term (leave it out to use the LA's terms)");
            return null;
        }
        if (count > TermChecks.MaxTerms)
        {
            errors.Add("terms", $"must have at most {TermChecks.MaxTerms} items");
            return null;
        }
        var read = new List<(Term, int)>();
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            var i = index++;
            var path = $"terms[{i}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add(path, "must be a JSON object");
                continue;
            }
            RefuseUnknown(item, path, KnownTermFields, errors);
            var name = Field(item, "name", path, errors, TermChecks.Name);
            var first = Field(item, "firstDay", path, errors, TermChecks.Date);
            var last = Field(item, "lastDay", path, errors, TermChecks.Date);
            if (first is { } f && last is { } l && l < f) errors.Add(path + ".lastDay", "must not be before firstDay");
            else if (name is not null && first is not null && last is not null) read.Add((new Term(name, first.Value, last.Value), i));
        }
        return TermChecks.SortedWithoutOverlaps<int>(read, i => $"terms[{i}].firstDay", i => $"terms[{i}]", errors);
    }

    private static HashSet<LocalDate> ReadClosedDays(JsonElement element, FieldErrors errors)
    {
        var days = new HashSet<LocalDate>();
        if (element.ValueKind != JsonValueKind.Array)
        {
            errors.Add("closedDays", "must be an array of dates in the form yyyy-MM-dd");
            return days;
        }
        if (element.GetArrayLength() > MaxClosedDays)
        {
            errors.Add("closedDays", $"must have at most {MaxClosedDays} items");
            return days;
        }
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            var path = $"closedDays[{index++}]";
            if (item.ValueKind != JsonValueKind.String) errors.Add(path, TermChecks.DateReason);
            else if (TermChecks.Date(item.GetString(), path, errors) is { } day) days.Add(day);
        }
        return days;
    }

    // A missing field is reported by the name and date checks ("is required"); a field that is not a string, here.
    private static T? Field<T>(JsonElement item, string name, string path, FieldErrors errors, Func<string?, string, FieldErrors, T?> read)
    {
        var fieldPath = path + "." + name;
        if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return read(null, fieldPath, errors);
        if (value.ValueKind == JsonValueKind.String) return read(value.GetString(), fieldPath, errors);
        errors.Add(fieldPath, "must be a string");
        return default;
    }

    private static void RefuseUnknown(JsonElement obj, string path, HashSet<string> known, FieldErrors errors)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (!known.Contains(property.Name)) errors.Add(path.Length == 0 ? property.Name : path + "." + property.Name, "is not a known field");
        }
    }
}
