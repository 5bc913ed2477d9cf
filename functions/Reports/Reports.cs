using System.Globalization;
using CsvHelper;
using NotifyHub.Domain;
using NotifyHub.Domain.Timeliness;
using NotifyHub.Domain.Validation;
using NotifyHub.Hosting;

namespace NotifyHub.Timeliness;

/// <summary>A missing share as listed to the force and to partnership leads: what, where, why — never a child.</summary>
public sealed record MissingShare(string Kind, string? IncidentId, string ForceCode, string La, DateOnly ReportedOn, string RecipientType, string? OrganisationId,
    string RiskLevel, string? Reason, string Key);

/// <summary>The reports, read from the rollups within the caller's scope.</summary>
public sealed class ReportReader(RollupStore rollups, TimeProvider time)
{
    public const int MaxDays = 400;

    /// <summary>The report period from the query: <c>from</c> and <c>to</c> (local dates, inclusive), by default the last 13 weeks.</summary>
    public (DateOnly From, DateOnly To) Range(QueryParameters query)
    {
        var today = UkTime.DateOf(time.GetUtcNow());
        var to = query.Date("to") ?? today;
        var from = query.Date("from") ?? to.AddDays(-7 * 13 + 1);
        if (!query.Errors.Has("from") && !query.Errors.Has("to"))
        {
            if (from > to) query.Errors.Add("from", "must not be after to");
            else if (to.DayNumber - from.DayNumber >= MaxDays) query.Errors.Add("to", $"must be at most {MaxDays} days after from");
        }
        return (from, to);
    }

    public async Task<IReadOnlyList<ShareFact>> FactsAsync(Scope scope, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var las = scope.Las ?? await rollups.LasAsync(ct);
        var facts = await rollups.ReadAsync(las, from, to, ct);
        return scope.ForceCode is { } force ? facts.Where(f => f.ForceCode == force).ToList() : facts;
    }

    /// <summary>The timeliness report of a scope of LAs, from the rollups' summaries; by organisation, from the rollups' facts.</summary>
    public async Task<TimelinessReport> TimelinessAsync(Scope scope, ReportQuery query, CancellationToken ct)
    {
        if (scope.ForceCode is not null || query.GroupBy == ReportDimensions.Organisation)
        {
            // A force's own shares, or a report by organisation: from the facts (the summaries keep neither).
            var facts = await FactsAsync(scope, query.From, query.To, ct);
            return TimelinessReports.Compute(facts, query, facts.Select(f => f.La).Distinct().Order(StringComparer.Ordinal).ToList(), time.GetUtcNow());
        }
        var cells = await rollups.ReadSummariesAsync(scope.Las ?? await rollups.LasAsync(ct), query.From, query.To, ct);
        var las = scope.Las ?? cells.Select(c => c.La).Distinct().Order(StringComparer.Ordinal).ToList();
        return TimelinessReports.FromCells(cells, query, las, time.GetUtcNow());
    }

    public async Task<IReadOnlyList<MissingShare>> MissingAsync(Scope scope, DateOnly from, DateOnly to, CancellationToken ct) =>
        (await FactsAsync(scope, from, to, ct))
            .Where(f => f.Kind is not (ShareKinds.Delivery or ShareKinds.Withheld) || (f.IsDelivery && f.Failed))
            .Select(f => new MissingShare(f.IsDelivery ? "failed" : f.Kind, f.IncidentId, f.ForceCode, f.La, f.Day, f.RecipientType, f.OrganisationId, f.RiskLevel,
                f.Reason, f.Key))
            .OrderBy(m => m.ReportedOn).ThenBy(m => m.Key, StringComparer.Ordinal).ToList();

    /// <summary>
    /// The report as CSV (CsvHelper): one line per group, then the total; durations in seconds, rates from 0 to 1. A line's
    /// <c>period</c> is its week's Monday or its month's first day, or <c>all</c> for the whole range — the word the JSON
    /// uses for a report not split by period (where its lines carry a null period) — never empty.
    /// </summary>
    public static string Csv(TimelinessReport report)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        var csv = CsvWriter.Create(writer, new CsvWriterOptions(), true);
        string[] header =
        [
            "from", "to", "period", "groupBy", "key", "deliveries", "deliveredByDue", "acknowledgedByDue", "late", "failed", "unrouted", "missingAtSource",
            "deliveredByDueRate", "acknowledgedByDueRate", "timeToDeliverMedianSeconds", "timeToDeliverP90Seconds", "timeToAcknowledgeMedianSeconds",
            "timeToAcknowledgeP90Seconds", "occurredToAttendedMedianSeconds", "occurredToAttendedP90Seconds", "attendedToReceivedMedianSeconds",
            "attendedToReceivedP90Seconds", "reportedToReceivedMedianSeconds", "reportedToReceivedP90Seconds", "occurredToReceivedMedianSeconds",
            "occurredToReceivedP90Seconds", "withheld",
        ];
        csv.WriteRecord(header);
        foreach (var g in report.Groups.Append(report.Total))
        {
            object?[] fields =
            [
                Day(report.From), Day(report.To), g.Period ?? ReportDimensions.WholeRange, report.GroupBy ?? "", g.Key, g.Deliveries, g.DeliveredByDue, g.AcknowledgedByDue, g.Late, g.Failed,
                g.Unrouted, g.MissingAtSource, g.DeliveredByDueRate, g.AcknowledgedByDueRate, g.TimeToDeliver.MedianSeconds, g.TimeToDeliver.P90Seconds,
                g.TimeToAcknowledge.MedianSeconds, g.TimeToAcknowledge.P90Seconds, g.PoliceDelay.OccurredToAttended.MedianSeconds,
                g.PoliceDelay.OccurredToAttended.P90Seconds, g.PoliceDelay.AttendedToReceived.MedianSeconds, g.PoliceDelay.AttendedToReceived.P90Seconds,
                g.PoliceDelay.ReportedToReceived.MedianSeconds, g.PoliceDelay.ReportedToReceived.P90Seconds, g.PoliceDelay.OccurredToReceived.MedianSeconds,
                g.PoliceDelay.OccurredToReceived.P90Seconds, g.Withheld,
            ];
            csv.WriteRecord(fields.Select(field => field switch
            {
                null => "",
                double d => d.ToString("0.####", CultureInfo.InvariantCulture),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => field.ToString() ?? "",
            }).ToArray());
        }
        csv.Dispose();
        return writer.ToString();
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
