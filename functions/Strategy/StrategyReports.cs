using Azure.Data.Tables;
using NotifyHub.Domain;
using NotifyHub.Domain.Strategy;
using NotifyHub.Storage;
using NotifyHub.Timeliness;

namespace NotifyHub.Strategy;

/// <summary>The strategy report (docs/strategy-discussions.md, "Reports"): read from the strategy discussions' view, built by <see cref="StrategyReport.Build"/>.</summary>
public sealed class StrategyReports(TableServiceClient tables, TimeProvider time)
{
    /// <summary>
    /// The report for a scope and a range of UK dates — when the incidents were received, as the decision report counts
    /// them — over every delivery of the strategy discussions about those incidents.
    /// </summary>
    public async Task<StrategyReport> ReportAsync(Scope scope, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var rows = new List<StrategyRow>();
        await foreach (var row in RowsAsync(ct))
        {
            if (!scope.Covers(row.GetString("La") ?? "", row.GetString("ForceCode") ?? "")
                || row.GetDateTimeOffset("ReceivedAt") is not { } received || UkTime.DateOf(received) is var day && (day < from || day > to)) continue;
            rows.Add(new StrategyRow(row.GetString("IncidentId") ?? "", row.GetString("Kind") ?? "", row.GetString("RecipientType") ?? "",
                row.GetInt32("Number") ?? 0, row.GetDateTimeOffset("CreatedAt") ?? default, row.GetDateTimeOffset("DueAt"), row.GetDateTimeOffset("AcknowledgedAt"),
                row.GetDateTimeOffset("LateAt"), row.GetDateTimeOffset("ReportedAt"), row.GetDateTimeOffset("HeldAt"), row.GetString("Answer"),
                row.GetDateTimeOffset("InformedAt"), row.GetBoolean("Attended")));
        }
        return StrategyReport.Build(from, to, scope.Las, rows, time.GetUtcNow());
    }

    /// <summary>The view's rows (<see cref="StrategyViews.Deliveries"/>).</summary>
    public IAsyncEnumerable<TableEntity> RowsAsync(CancellationToken ct) =>
        tables.GetTableClient(StorageNames.StrategyDeliveriesTable).QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {StrategyViews.DeliveriesPartition}"), cancellationToken: ct);
}
