using System.Text.Json;
using Azure.Data.Tables;
using NotifyHub.Delivery;
using NotifyHub.Domain.Timeliness;
using NotifyHub.Storage;

namespace NotifyHub.Timeliness;

/// <summary>What a rebuild did.</summary>
public sealed record RebuildResult(int Shares, int Cells, int ClearedCells);

/// <summary>
/// The rollups from the raw records: every delivery row, every unrouted share and every manifest's missing references,
/// mapped to facts by the same functions the live updates use. Reading the raw records is a scan of those tables —
/// which is why the reports read the rollups instead; this is the repair, and the benchmark's baseline.
/// </summary>
public sealed class RollupRebuild(TableServiceClient tables, RollupStore rollups, ILogger<RollupRebuild> logger)
{
    public async Task<IReadOnlyList<ShareFact>> RawFactsAsync(CancellationToken ct)
    {
        var facts = new List<ShareFact>();
        await foreach (var row in tables.GetTableClient(StorageNames.DeliveriesTable).QueryAsync<TableEntity>(maxPerPage: 1000, cancellationToken: ct))
        {
            if (!ReceiptStore.IsAttemptRow(row.RowKey) && ShareFactRows.FromDelivery(row) is { } fact) facts.Add(fact);
        }
        await foreach (var row in tables.GetTableClient(StorageNames.UnroutedSharesTable).QueryAsync<TableEntity>(maxPerPage: 1000, cancellationToken: ct))
        {
            if (row.GetBoolean("Resolved") != true && ShareFactRows.FromUnrouted(row) is { } fact) facts.Add(fact);
        }
        await foreach (var row in tables.GetTableClient(StorageNames.ManifestsTable).QueryAsync<TableEntity>(maxPerPage: 1000, cancellationToken: ct))
        {
            facts.AddRange(ManifestStore.MissingFacts(row));
        }
        return facts;
    }

    public async Task<RebuildResult> RebuildAsync(CancellationToken ct)
    {
        var facts = await RawFactsAsync(ct);
        var cells = facts.GroupBy(f => (f.La, Row: RollupStore.RowKeyOf(f))).ToList();
        await rollups.ReplaceAsync(facts, ct);
        var kept = cells.Select(c => c.Key).ToHashSet();
        var cleared = 0;
        foreach (var cell in await rollups.CellsAsync(ct))
        {
            if (kept.Contains(cell)) continue;
            await rollups.DeleteCellAsync(cell.La, cell.Row, ct);
            cleared++;
        }
        TimelinessLog.Rebuilt(logger, facts.Count, cells.Count, cleared);
        return new RebuildResult(facts.Count, cells.Count, cleared);
    }
}
