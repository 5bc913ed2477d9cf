using System.Text.Json;
using NodaTime;
using NotifyHub.Domain.Validation;

namespace NotifyHub.Domain.Timeliness;

/// <summary>
/// Reads the bank holidays GOV.UK publishes (https://www.gov.uk/bank-holidays.json): the whole file is accepted,
/// only the England-and-Wales division is kept (the hub serves English and Welsh partnerships; Scotland and Northern
/// Ireland have other holidays). Substitute days are listed as events of their own, so they need no rule here.
/// </summary>
public static class BankHolidaysFile
{
    public const string Division = "england-and-wales";

    /// <summary>Far more than GOV.UK lists (about eight a year for a few years): anything more is not that file.</summary>
    public const int MaxEvents = 2000;

    public static IReadOnlySet<LocalDate>? Parse(ReadOnlySpan<byte> utf8Json, out FieldErrors errors)
    {
        errors = new FieldErrors();
        if (JsonText.ParseObject(utf8Json, errors, "must be a JSON object with an \"england-and-wales\" division") is not { } document) return null;
        using (document)
        {
            var root = document.RootElement;
            if (!root.TryGetProperty(Division, out var division))
            {
                errors.Add(Division, "is required");
                return null;
            }
            if (division.ValueKind != JsonValueKind.Object)
            {
                errors.Add(Division, "must be an object");
                return null;
            }
            var eventsPath = Division + ".events";
            if (!division.TryGetProperty("events", out var events) || events.ValueKind == JsonValueKind.Null)
            {
                errors.Add(eventsPath, "is required");
                return null;
            }
            if (events.ValueKind != JsonValueKind.Array)
            {
                errors.Add(eventsPath, "must be an array");
                return null;
            }
            var count = events.GetArrayLength();
            if (count == 0)
            {
                // An empty list would make every weekday a working day without anyone noticing.
                errors.Add(eventsPath, "must list at least one bank holiday");
                return null;
            }
            if (count > MaxEvents)
            {
                errors.Add(eventsPath, $"must have at most {MaxEvents} items");
                return null;
            }
            var days = new HashSet<LocalDate>();
            var index = 0;
            foreach (var item in events.EnumerateArray())
            {
                var path = $"{eventsPath}[{index++}]";
                if (item.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(path, "must be an object");
                    continue;
                }
                if (!item.TryGetProperty("date", out var date) || date.ValueKind == JsonValueKind.Null)
                {
                    errors.Add(path + ".date", "is required");
                    continue;
                }
                if (date.ValueKind != JsonValueKind.String)
                {
                    errors.Add(path + ".date", TermChecks.DateReason);
                    continue;
                }
                if (TermChecks.Date(date.GetString(), path + ".date", errors) is { } day) days.Add(day);
            }
            return errors.Any ? null : days;
        }
    }
}
