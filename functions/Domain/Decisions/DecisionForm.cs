using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NodaTime;
using NotifyHub.Domain.Validation;

namespace NotifyHub.Domain.Decisions;

/// <summary>A date (and, for when a decision was made, a time) as typed into the page's day, month, year, hour and minute boxes.</summary>
public sealed record DateParts(string Day, string Month, string Year, string? Hour = null, string? Minute = null)
{
    public static readonly DateParts Empty = new("", "", "", "", "");

    public bool IsBlank => (Day + Month + Year + Hour + Minute).Trim().Length == 0;
}

/// <summary>One next step as typed: the owner's directory id, what it asks, the date it is due.</summary>
public sealed record StepEntry(string Owner, string Action, DateParts Due)
{
    public bool IsBlank => (Owner + Action).Trim().Length == 0 && Due.IsBlank;
}

/// <summary>
/// What the MASH typed into its page's decision form, as typed, so that a form with mistakes comes back with every
/// entry kept. <see cref="Repeated"/> names the one-value fields the browser sent more than once (a tampered form).
/// </summary>
public sealed record DecisionFormEntry(
    string Outcome, IReadOnlyList<string> Children, DateParts Decided, string Joint, IReadOnlyList<string> JointWith, string Rationale,
    IReadOnlyList<StepEntry> Steps, IReadOnlyList<string> Repeated)
{
    public static readonly DecisionFormEntry Empty = new("", [], DateParts.Empty, "", [], "", [], []);
}

/// <summary>
/// The MASH's decision as its page's form sends it (form fields <c>outcome</c>, <c>children</c>, <c>decided-day</c> …
/// <c>decided-minute</c>, <c>joint</c> (yes/no), <c>jointWith</c>, <c>rationale</c>, <c>step-N-owner</c>,
/// <c>step-N-action</c>, <c>step-N-due-day|month|year</c>), turned into the JSON the API takes and validated by
/// <see cref="DecisionInput"/> — one set of rules, whichever way a decision comes. Only what a form adds is decided
/// here: a date and time typed in boxes (UK local time), yes and no, blank next-step rows, a field sent twice. Pure.
/// </summary>
public static class DecisionForm
{
    /// <summary>The next-step rows the page offers (the API takes up to <see cref="DecisionInput.MaxNextSteps"/>).</summary>
    public const int StepRows = 3;

    /// <summary>
    /// Reads the form (<paramref name="values"/>: every value of a field, none when it is absent). Blank next-step rows
    /// are dropped and the rest keep their order, so that the steps' indexes in the request are their rows on the page.
    /// </summary>
    public static DecisionFormEntry Read(Func<string, IReadOnlyList<string>> values)
    {
        var repeated = new List<string>();
        string One(string field)
        {
            var all = values(field);
            if (all.Count > 1) repeated.Add(field);
            return all.Count == 1 ? all[0] : "";
        }
        DateParts Date(string prefix, bool time) => new(One(prefix + "-day"), One(prefix + "-month"), One(prefix + "-year"),
            time ? One(prefix + "-hour") : null, time ? One(prefix + "-minute") : null);

        var outcome = One("outcome");
        var decided = Date("decided", true);
        var (joint, rationale) = (One("joint"), One("rationale"));
        var fixedFields = repeated.Count;
        var kept = new List<(int Row, StepEntry Step)>();
        for (var row = 1; row <= StepRows; row++)
        {
            var step = new StepEntry(One($"step-{row}-owner"), One($"step-{row}-action"), Date($"step-{row}-due", false));
            // A row sent twice over is not blank, even though neither of its values can be taken.
            if (!step.IsBlank || repeated.Skip(fixedFields).Any(f => f.StartsWith($"step-{row}-", StringComparison.Ordinal))) kept.Add((row, step));
        }
        // A field of a row that moved up is named by where the step now stands.
        var renamed = repeated.Take(fixedFields).Concat(repeated.Skip(fixedFields).Select(f =>
            $"step-{kept.FindIndex(k => f.StartsWith($"step-{k.Row}-", StringComparison.Ordinal)) + 1}{f[6..]}")).Distinct().ToList();
        return new DecisionFormEntry(outcome, values("children"), decided, joint, values("jointWith"), rationale, [.. kept.Select(k => k.Step)], renamed);
    }

    /// <summary>
    /// The entry as the API's JSON, checked by <paramref name="validate"/> (<see cref="DecisionInput.Validate"/> with the
    /// incident's children and times). Errors are named by the API's field paths (<c>decidedAt</c>,
    /// <c>nextSteps[0].owner</c>); where the form itself was wrong — a date that is not one, a field sent twice — that
    /// reason is given instead of the API's.
    /// </summary>
    public static Validated<DecisionRequest> Validate(DecisionFormEntry entry, Func<JsonElement, Validated<DecisionRequest>> validate)
    {
        var form = new FieldErrors();
        var body = new JsonObject();
        if (Text(entry.Outcome) is { } outcome) body["outcome"] = outcome;
        if (entry.Children.Count > 0)
            body["children"] = new JsonArray([.. entry.Children.Select(c =>
                (JsonNode?)(int.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? JsonValue.Create(i) : JsonValue.Create(c)))]);
        if (Instant(entry.Decided, "decidedAt", form) is { } decidedAt) body["decidedAt"] = decidedAt;
        switch (Text(entry.Joint))
        {
            case "yes": body["joint"] = true; break;
            case "no": body["joint"] = false; break;
            case { } other: body["joint"] = other; break;
        }
        if (entry.JointWith.Count > 0) body["jointWith"] = new JsonArray([.. entry.JointWith.Select(a => (JsonNode?)JsonValue.Create(a))]);
        // A browser sends a textarea's line breaks as CR LF; the page counts each as one character, and so does the hub.
        body["rationale"] = entry.Rationale.ReplaceLineEndings("\n");
        if (entry.Steps.Count > 0)
        {
            var steps = new JsonArray();
            for (var i = 0; i < entry.Steps.Count; i++)
            {
                var (s, step) = (entry.Steps[i], new JsonObject());
                if (Text(s.Owner) is { } owner) step["owner"] = owner;
                if (Text(s.Action) is { } action) step["action"] = action;
                if (Day(s.Due, $"nextSteps[{i}].dueOn", form) is { } due) step["dueOn"] = due;
                steps.Add(step);
            }
            body["nextSteps"] = steps;
        }
        foreach (var field in entry.Repeated) form.Add(PathOf(field), "was sent more than once: choose or enter one");

        using var json = JsonDocument.Parse(body.ToJsonString());
        var validated = validate(json.RootElement);
        if (!form.Any) return validated;
        var errors = new FieldErrors();
        foreach (var (path, reasons) in validated.Errors.ToDictionary())
        {
            if (form.Has(path)) continue;
            foreach (var reason in reasons) errors.Add(path, reason);
        }
        foreach (var (path, reasons) in form.ToDictionary())
        {
            foreach (var reason in reasons) errors.Add(path, reason);
        }
        return new Validated<DecisionRequest>(null, errors);
    }

    /// <summary>The API's field path of a form field (<c>step-2-due-day</c> → <c>nextSteps[1].dueOn</c>).</summary>
    public static string PathOf(string field) => field switch
    {
        _ when field.StartsWith("decided-", StringComparison.Ordinal) => "decidedAt",
        _ when field.StartsWith("step-", StringComparison.Ordinal) && field.Length > 7 && int.TryParse(field[5..6], out var row) =>
            $"nextSteps[{row - 1}]." + (field[7..] switch { "owner" => "owner", "action" => "action", _ => "dueOn" }),
        _ => field,
    };

    private static string? Text(string value) => value.Trim() is { Length: > 0 } trimmed ? trimmed : null;

    /// <summary>When the decision was made, from its boxes, as UK local time: an instant in ISO 8601 (UTC), or null with the reason.</summary>
    private static string? Instant(DateParts parts, string path, FieldErrors errors)
    {
        if (parts.IsBlank) return null;
        if (!Complete(parts, path, errors, ("day", parts.Day), ("month", parts.Month), ("year", parts.Year), ("hour", parts.Hour!), ("minute", parts.Minute!)))
            return null;
        var (hour, minute) = (Number(parts.Hour!, 2), Number(parts.Minute!, 2));
        if (DateOf(parts) is not { } date || hour is not (>= 0 and <= 23) || minute is not (>= 0 and <= 59))
        {
            errors.Add(path, "must be a real date and time (24-hour clock)");
            return null;
        }
        // The hour the clocks go back is lived twice (the earlier is taken); a time the clocks skip is read as just after the change.
        var instant = date.At(new LocalTime(hour!.Value, minute!.Value)).InZoneLeniently(UkTime.Zone).ToInstant();
        return instant.ToString("uuuu-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>A next step's due date, from its boxes: yyyy-MM-dd, or null with the reason.</summary>
    private static string? Day(DateParts parts, string path, FieldErrors errors)
    {
        if (parts.IsBlank) return null;
        if (!Complete(parts, path, errors, ("day", parts.Day), ("month", parts.Month), ("year", parts.Year))) return null;
        if (DateOf(parts) is not { } date)
        {
            errors.Add(path, "must be a real date");
            return null;
        }
        return date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>GOV.UK's "must include a month": every box filled in, or the reason naming the empty ones.</summary>
    private static bool Complete(DateParts parts, string path, FieldErrors errors, params (string Name, string Value)[] boxes)
    {
        var missing = boxes.Where(b => b.Value.Trim().Length == 0).Select(b => b.Name).ToList();
        if (missing.Count == 0) return true;
        errors.Add(path, "must include " + (missing[0] == "hour" ? "an " : "a ") + (missing.Count == 1 ? missing[0] : string.Join(", ", missing[..^1]) + " and " + missing[^1]));
        return false;
    }

    private static LocalDate? DateOf(DateParts parts)
    {
        var (day, month, year) = (Number(parts.Day, 2), Number(parts.Month, 2), parts.Year.Trim().Length == 4 ? Number(parts.Year, 4) : null);
        if (day is not (>= 1 and <= 31) || month is not (>= 1 and <= 12) || year is not (>= 1 and <= 9999)) return null;
        return day <= CalendarSystem.Iso.GetDaysInMonth(year.Value, month.Value) ? new LocalDate(year.Value, month.Value, day.Value) : null;
    }

    /// <summary>A box's whole number (digits only, at most <paramref name="digits"/> of them), or null.</summary>
    private static int? Number(string text, int digits)
    {
        var t = text.Trim();
        return t.Length is > 0 and var n && n <= digits && t.All(char.IsAsciiDigit) ? int.Parse(t, CultureInfo.InvariantCulture) : null;
    }
}
