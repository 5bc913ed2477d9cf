using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;
using NodaTime.Text;

namespace NotifyHub.Domain.Timeliness;

public enum DeadlineKind { NextSchoolDayStart, NextWorkingDayAt, Elapsed, WorkingDays }

/// <summary>
/// When a share falls due, as configured.
/// NextSchoolDayStart: At = default school-day start (08:30); the organisation's own start overrides it.
/// NextWorkingDayAt: At = local time on the first working day AFTER the local date of reportedAt.
/// Elapsed: After = absolute elapsed duration from reportedAt.
/// WorkingDays: Days = N; the end of the Nth working day after reportedAt's local date, at At (local) — or, without At,
/// at the end of the working day the hub is configured with (<see cref="DefaultWorkingDayEnd"/> unless set otherwise).
/// Never the time of day of the report: a share reported at 23:08 must not fall due at 23:08, in the night.
/// </summary>
public sealed partial record DeadlineRule(DeadlineKind Kind, LocalTime? At = null, Duration? After = null, int? Days = null)
{
    /// <summary>When the school day starts unless the school says otherwise (domain.md).</summary>
    public static readonly LocalTime DefaultSchoolDayStart = new(8, 30);

    /// <summary>When a working day ends unless configured otherwise (domain.md: "end of the next working day (17:00)").</summary>
    public static readonly LocalTime DefaultWorkingDayEnd = new(17, 0);

    /// <summary>The longest elapsed duration and the most working days a rule may have: anything more is a typo, not a policy.</summary>
    public static readonly Duration LongestElapsed = Duration.FromDays(31);
    public const int MostWorkingDays = 60;

    private const string NextSchoolDayWord = "next-school-day";
    private const string NextWorkingDayWord = "next-working-day";
    private const string ElapsedWord = "elapsed";
    private const string WorkingDaysWord = "working-days";

    private static readonly LocalTimePattern TimePattern = LocalTimePattern.CreateWithInvariantCulture("HH:mm");

    public static DeadlineRule NextSchoolDay(LocalTime? at = null) => new(DeadlineKind.NextSchoolDayStart, At: at);
    public static DeadlineRule NextWorkingDay(LocalTime at) => new(DeadlineKind.NextWorkingDayAt, At: at);
    public static DeadlineRule ElapsedAfter(Duration after) => new(DeadlineKind.Elapsed, After: after);
    public static DeadlineRule AfterWorkingDays(int days, LocalTime? endsAt = null) => new(DeadlineKind.WorkingDays, At: endsAt, Days: days);

    /// <summary>
    /// Reads the compact text form: "next-school-day 08:30" (or bare "next-school-day": the default start),
    /// "next-working-day 12:00", "elapsed 1h" / "elapsed 90m", "working-days 1" (or "working-days 1 17:00": the day
    /// ends then rather than at the configured end of the working day). Words are case-insensitive.
    /// </summary>
    public static bool TryParse(string text, out DeadlineRule? rule, out string? error)
    {
        rule = null;
        error = null;
        var parts = (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            error = "is empty; expected e.g. \"next-school-day 08:30\", \"next-working-day 12:00\", \"elapsed 1h\" or \"working-days 1\"";
            return false;
        }
        var word = parts[0].ToLowerInvariant();
        var argument = parts.Length > 1 ? parts[1] : null;
        // Only a working-days rule takes a second argument: the time its last day ends.
        var allowed = word == WorkingDaysWord ? 3 : 2;
        if (parts.Length > allowed)
        {
            error = $"has unexpected text after \"{string.Join(' ', parts.Take(allowed))}\"";
            return false;
        }
        switch (word)
        {
            case NextSchoolDayWord:
                if (argument is null)
                {
                    rule = NextSchoolDay();
                    return true;
                }
                if (!TryParseTime(argument, out var start, out error)) return false;
                rule = NextSchoolDay(start);
                return true;
            case NextWorkingDayWord:
                if (argument is null)
                {
                    error = "needs a local time, e.g. \"next-working-day 12:00\"";
                    return false;
                }
                if (!TryParseTime(argument, out var at, out error)) return false;
                rule = NextWorkingDay(at);
                return true;
            case ElapsedWord:
                if (argument is null || !TryParseDuration(argument, out var after))
                {
                    error = "needs a duration in whole hours or minutes, e.g. \"elapsed 1h\" or \"elapsed 90m\"";
                    return false;
                }
                if (after <= Duration.Zero || after > LongestElapsed)
                {
                    error = $"must be more than 0 and at most {LongestElapsed.TotalHours:0}h";
                    return false;
                }
                rule = ElapsedAfter(after);
                return true;
            case WorkingDaysWord:
                if (argument is null || !DaysPattern().IsMatch(argument) ||
                    !int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out var days) || days < 1 || days > MostWorkingDays)
                {
                    error = $"needs a whole number of working days from 1 to {MostWorkingDays}, e.g. \"working-days 1\" or \"working-days 1 17:00\"";
                    return false;
                }
                LocalTime? endsAt = null;
                if (parts.Length == 3)
                {
                    if (!TryParseTime(parts[2], out var end, out error)) return false;
                    endsAt = end;
                }
                rule = AfterWorkingDays(days, endsAt);
                return true;
            default:
                error = $"\"{parts[0]}\" is not a kind of deadline; expected next-school-day, next-working-day, elapsed or working-days";
                return false;
        }
    }

    /// <summary>The compact text form, which <see cref="TryParse"/> reads back to an equal rule.</summary>
    public override string ToString() => Kind switch
    {
        DeadlineKind.NextSchoolDayStart => At is { } start ? $"{NextSchoolDayWord} {TimePattern.Format(start)}" : NextSchoolDayWord,
        DeadlineKind.NextWorkingDayAt => $"{NextWorkingDayWord} {(At is { } at ? TimePattern.Format(at) : "?")}",
        DeadlineKind.Elapsed => $"{ElapsedWord} {(After is { } after ? FormatDuration(after) : "?")}",
        DeadlineKind.WorkingDays => $"{WorkingDaysWord} {(Days is { } days ? days.ToString(CultureInfo.InvariantCulture) : "?")}"
            + (At is { } end ? " " + TimePattern.Format(end) : ""),
        _ => Kind.ToString(),
    };

    /// <summary>A local time written HH:mm (24-hour), as rules and the time settings take it; the error says what was wrong.</summary>
    public static bool TryParseTime(string text, out LocalTime time, out string? error)
    {
        var result = TimePattern.Parse(text ?? "");
        if (result.Success && text!.Length == 5)
        {
            time = result.Value;
            error = null;
            return true;
        }
        time = default;
        error = $"\"{text}\" is not a local time in the form HH:mm (24-hour, Europe/London)";
        return false;
    }

    private static bool TryParseDuration(string text, out Duration duration)
    {
        duration = Duration.Zero;
        var match = DurationPattern().Match(text);
        if (!match.Success || !long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount)) return false;
        duration = char.ToLowerInvariant(match.Groups[2].Value[0]) == 'h' ? Duration.FromHours(amount) : Duration.FromMinutes(amount);
        return true;
    }

    // Whole hours as hours, else whole minutes: so "elapsed 120m" comes back as "elapsed 2h", an equal rule. Only a
    // rule built in code can hold seconds; it is shown in seconds, which the text form does not read back.
    private static string FormatDuration(Duration after)
    {
        var minutes = (long)after.TotalMinutes;
        if (Duration.FromMinutes(minutes) != after) return $"{after.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s";
        return minutes % 60 == 0 ? $"{minutes / 60}h" : $"{minutes}m";
    }

    [GeneratedRegex("^([0-9]{1,7})([hHmM])$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex("^[0-9]{1,3}$")]
    private static partial Regex DaysPattern();
}
