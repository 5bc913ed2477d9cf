using System.Globalization;
using System.Text.Json;
using System.IO.Compression;
using Azure;
using Azure.Data.Tables;
using NotifyHub.Domain.Timeliness;
using NotifyHub.Storage;

namespace NotifyHub.Timeliness;

/// <summary>
/// The rollups the timeliness reports read (table <c>Rollups</c>): partition = local authority, row = the local date the
/// shares were reported and a shard (<c>yyyy-MM-dd|n</c>, see <see cref="Shards"/>), holding every share of that LA and day as a compact <see cref="ShareFact"/>
/// (Brotli-compressed). A rollup is a projection of the ledger (and, for shares missing at source, of the manifests): a
/// state change replaces its share's fact — never an increment — and only with a fact at least as new, so applying one
/// twice, late, out of order or beside a rebuild converges on the same rollup; a quarter for one LA is about ninety rows,
/// however many deliveries there were. Updates are ETag-conditional and retried, so concurrent applies never lose each
/// other's facts.
/// </summary>
public sealed class RollupStore(TableServiceClient tables)
{
    private TableClient Table => tables.GetTableClient(StorageNames.RollupsTable);

    /// <summary>
    /// Records the facts, one conditional write per LA and day: each replaces the stored fact with its key when it is at least
    /// as new (<see cref="ShareFact.Supersedes"/>), so an apply repeated, late, or beside a rebuild never sets a share back.
    /// </summary>
    public async Task RecordAsync(IEnumerable<ShareFact> facts, CancellationToken ct)
    {
        foreach (var cell in facts.GroupBy(f => (f.La, Row: RowKeyOf(f))))
        {
            await UpdateCellAsync(cell.Key.La, cell.Key.Row, existing =>
            {
                var changed = false;
                foreach (var fact in cell)
                {
                    var stored = existing.GetValueOrDefault(fact.Key);
                    if (!fact.Supersedes(stored) || (stored is not null && stored == fact)) continue;
                    existing[fact.Key] = fact;
                    changed = true;
                }
                return changed;
            }, ct);
        }
    }

    /// <summary>Removes the facts with these keys (a manifest entry the hub has since received).</summary>
    public async Task ForgetAsync(string la, DateOnly day, IReadOnlyCollection<string> keys, CancellationToken ct)
    {
        foreach (var shard in keys.GroupBy(k => RowKey(day, Shard(k))))
        {
            await UpdateCellAsync(la, shard.Key, existing => shard.Aggregate(false, (changed, key) => existing.Remove(key) | changed), ct);
        }
    }

    /// <summary>
    /// Each LA and day is split into <see cref="Shards"/> rows by incident, so concurrent deliveries of one LA's busy day
    /// seldom write the same row (every update is ETag-conditional and retried on a conflict); all shares of one incident
    /// stay in one row, so its police-side delay is counted once.
    /// </summary>
    public const int Shards = 8;

    /// <summary>The row a fact belongs in: <c>{yyyy-MM-dd}|{shard}</c>.</summary>
    public static string RowKeyOf(ShareFact fact) => RowKey(fact.Day, Shard(fact.IncidentId ?? fact.Key));

    /// <summary>A stable shard (FNV-1a, the same in every process; string.GetHashCode is not).</summary>
    private static int Shard(string value)
    {
        var hash = 2166136261u;
        foreach (var c in value) hash = (hash ^ c) * 16777619u;
        return (int)(hash % Shards);
    }

    /// <summary>Removes the facts with these keys from one cell (the rebuild's sweep: shares no record supports any more).</summary>
    public Task RemoveAsync(string la, string rowKey, IReadOnlyCollection<string> keys, CancellationToken ct) =>
        UpdateCellAsync(la, rowKey, existing => keys.Aggregate(false, (changed, key) => existing.Remove(key) | changed), ct);

    /// <summary>Reads a cell, changes its facts, writes it back conditionally (read again and change again on a conflict); no write when nothing changed.</summary>
    private async Task UpdateCellAsync(string la, string rowKey, Func<Dictionary<string, ShareFact>, bool> change, CancellationToken ct)
    {
        for (var tries = 0; ; tries++)
        {
            var row = await Table.GetEntityIfExistsAsync<TableEntity>(la, rowKey, cancellationToken: ct);
            var facts = row.HasValue ? Decode(row.Value!).ToDictionary(f => f.Key, StringComparer.Ordinal) : new Dictionary<string, ShareFact>(StringComparer.Ordinal);
            if (!change(facts)) return;
            var entity = Entity(la, rowKey, facts.Values);
            try
            {
                if (row.HasValue) await Table.UpdateEntityAsync(entity, row.Value!.ETag, TableUpdateMode.Replace, ct);
                else
                {
                    await ListLaAsync(la, ct); // listed first: an LA is never left with cells but off the list
                    await Table.AddEntityAsync(entity, ct);
                }
                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && tries < 50)
            {
                // Another share of this LA and day was recorded meanwhile: read it again and apply ours on top.
                await Task.Delay(Random.Shared.Next(5, 20 + tries * 10), ct);
            }
        }
    }

    /// <summary>Every cell, a page at a time: (LA, row) and its facts (the rebuild's sweep).</summary>
    public async Task<(IReadOnlyList<(string La, string Row, IReadOnlyList<ShareFact> Facts)> Cells, string? Next)> CellsAsync(string? continuation, int pageSize,
        CancellationToken ct)
    {
        var pages = Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey ne {LasPartition}"), maxPerPage: pageSize, cancellationToken: ct)
            .AsPages(continuation, pageSize);
        await foreach (var page in pages)
            return (page.Values.Select(r => (r.PartitionKey, r.RowKey, Decode(r))).ToList(), page.ContinuationToken);
        return ([], null);
    }

    /// <summary>The facts of the given LAs reported from <paramref name="from"/> to <paramref name="to"/>: one range query per LA.</summary>
    public async Task<IReadOnlyList<ShareFact>> ReadAsync(IEnumerable<string> las, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var queries = las.Distinct(StringComparer.Ordinal).Select(async la =>
        {
            var rows = new List<TableEntity>();
            await foreach (var row in Table.QueryAsync<TableEntity>(Range(la, from, to), maxPerPage: 1000, cancellationToken: ct)) rows.Add(row);
            return rows;
        }).ToList();
        // Decompressing and decoding is the CPU part of a report: spread over the cores.
        return (await Task.WhenAll(queries)).SelectMany(rows => rows).AsParallel().SelectMany(Decode).ToList();
    }

    /// <summary>
    /// Every LA that has a rollup (an administrator's report, health's calendar check): partition <c>las</c> lists them, one row
    /// each, written when an LA's first cell is — so this reads a handful of rows, not every cell of every day.
    /// </summary>
    public async Task<IReadOnlyList<string>> LasAsync(CancellationToken ct)
    {
        var las = new List<string>();
        await foreach (var row in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {LasPartition}"), select: ["RowKey"],
            cancellationToken: ct)) las.Add(row.RowKey);
        return las.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The partition listing the LAs (LA codes are three digits, so it never meets one).</summary>
    private const string LasPartition = "las";

    private Task ListLaAsync(string la, CancellationToken ct) => Table.UpsertEntityAsync(new TableEntity(LasPartition, la), TableUpdateMode.Replace, ct);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string RowKey(DateOnly day, int shard) => Day(day) + "|" + shard.ToString(CultureInfo.InvariantCulture);

    /// <summary>Every shard of the days from <paramref name="from"/> to <paramref name="to"/> of one LA.</summary>
    private static string Range(string la, DateOnly from, DateOnly to) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {la} and RowKey ge {Day(from)} and RowKey lt {Day(to.AddDays(1))}");

    /// <summary>A cell: its facts (what updates replace) and their summary (what reports read), always written together.</summary>
    private static TableEntity Entity(string la, string rowKey, IEnumerable<ShareFact> facts)
    {
        var list = facts.OrderBy(f => f.Key, StringComparer.Ordinal).ToList();
        var entity = new TableEntity(la, rowKey) { ["Count"] = list.Count };
        LargeBinary.Write(entity, "Facts", Encode(list));
        LargeBinary.Write(entity, "Summary", Compress(JsonSerializer.SerializeToUtf8Bytes(CellSummary.Of(list), SummaryJson)));
        return entity;
    }

    private static readonly JsonSerializerOptions SummaryJson = new(JsonSerializerDefaults.Web);

    /// <summary>The summaries of the given LAs' days from <paramref name="from"/> to <paramref name="to"/>: one range query per LA, summaries only.</summary>
    public async Task<IReadOnlyList<TimelinessReports.Cell>> ReadSummariesAsync(IEnumerable<string> las, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var columns = LargeBinary.Columns("Summary").Append("PartitionKey").Append("RowKey").ToList();
        var queries = las.Distinct(StringComparer.Ordinal).Select(async la =>
        {
            var cells = new List<TimelinessReports.Cell>();
            await foreach (var row in Table.QueryAsync<TableEntity>(Range(la, from, to), maxPerPage: 1000, select: columns, cancellationToken: ct))
            {
                if (LargeBinary.Read(row, "Summary") is not { } summary) continue;
                cells.Add(new TimelinessReports.Cell(la, DateOnly.ParseExact(row.RowKey[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture),
                    JsonSerializer.Deserialize<CellSummary>(Decompress(summary), SummaryJson)!));
            }
            return cells;
        }).ToList();
        return (await Task.WhenAll(queries)).SelectMany(c => c).ToList();
    }

    private static byte[] Compress(byte[] data)
    {
        using var output = new MemoryStream();
        using (var brotli = new BrotliStream(output, CompressionLevel.Fastest, leaveOpen: true)) brotli.Write(data);
        return output.ToArray();
    }

    private static byte[] Decompress(byte[] data)
    {
        using var input = new BrotliStream(new MemoryStream(data), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    private const byte FormatVersion = 3;

    // The compact form, then Brotli: a version byte; the cell's distinct short strings (kinds, forces, LAs, types, organisations,
    // risk levels, reasons) once; then per fact its key and incident id, indexes into that table, and its times as Unix
    // milliseconds — the report time, then each other time as a difference from it. Decoding it is most of a report's work.
    public static byte[] Encode(IReadOnlyList<ShareFact> facts)
    {
        var table = new Dictionary<string, int>(StringComparer.Ordinal);
        int Index(string? value)
        {
            if (value is null) return -1;
            if (!table.TryGetValue(value, out var i)) table[value] = i = table.Count;
            return i;
        }
        var body = new MemoryStream();
        using (var w = new BinaryWriter(body, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write7BitEncodedInt(facts.Count);
            foreach (var f in facts)
            {
                w.Write(f.Key);
                w.Write(f.IncidentId ?? "");
                w.Write7BitEncodedInt(Index(f.Kind));
                w.Write7BitEncodedInt(Index(f.ForceCode));
                w.Write7BitEncodedInt(Index(f.La));
                w.Write7BitEncodedInt(f.Day.DayNumber);
                w.Write7BitEncodedInt(Index(f.RecipientType));
                w.Write7BitEncodedInt(Index(f.OrganisationId) + 1);
                w.Write7BitEncodedInt(Index(f.RiskLevel));
                w.Write7BitEncodedInt(Index(f.Reason) + 1);
                w.Write(f.Failed);
                w.Write7BitEncodedInt64(f.Version);
                var reported = f.ReportedAt.ToUnixTimeMilliseconds();
                w.Write(reported);
                DateTimeOffset?[] times = [f.OccurredAt, f.AttendedAt, f.ReceivedAt, f.DueAt, f.DeliveredAt, f.AcknowledgedAt];
                var present = 0;
                for (var i = 0; i < times.Length; i++) if (times[i] is not null) present |= 1 << i;
                w.Write((byte)present);
                foreach (var time in times)
                {
                    if (time is { } at) w.Write7BitEncodedInt64(ZigZag(at.ToUnixTimeMilliseconds() - reported));
                }
            }
        }
        using var output = new MemoryStream();
        output.WriteByte(FormatVersion);
        using (var brotli = new BrotliStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var w = new BinaryWriter(brotli, System.Text.Encoding.UTF8))
        {
            w.Write7BitEncodedInt(table.Count);
            foreach (var value in table.OrderBy(e => e.Value).Select(e => e.Key)) w.Write(value);
            w.Write(body.GetBuffer(), 0, (int)body.Length);
        }
        return output.ToArray();
    }

    public static IReadOnlyList<ShareFact> Decode(TableEntity row)
    {
        if (LargeBinary.Read(row, "Facts") is not { } stored || stored.Length == 0) return [];
        if (stored[0] != FormatVersion)
            throw new InvalidDataException($"Rollup {row.PartitionKey}/{row.RowKey} is in an unknown format: rebuild the rollups (POST /api/admin/rollups/rebuild).");
        using var input = new BrotliStream(new MemoryStream(stored, 1, stored.Length - 1), CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        input.CopyTo(buffer);
        buffer.Position = 0;
        using var r = new BinaryReader(buffer, System.Text.Encoding.UTF8);
        var table = new string[r.Read7BitEncodedInt()];
        for (var i = 0; i < table.Length; i++) table[i] = r.ReadString();
        var count = r.Read7BitEncodedInt();
        var facts = new List<ShareFact>(count);
        var times = new DateTimeOffset?[6];
        for (var n = 0; n < count; n++)
        {
            var key = r.ReadString();
            var incident = r.ReadString();
            var kind = table[r.Read7BitEncodedInt()];
            var force = table[r.Read7BitEncodedInt()];
            var la = table[r.Read7BitEncodedInt()];
            var day = DateOnly.FromDayNumber(r.Read7BitEncodedInt());
            var type = table[r.Read7BitEncodedInt()];
            var organisation = r.Read7BitEncodedInt() is var o and > 0 ? table[o - 1] : null;
            var risk = table[r.Read7BitEncodedInt()];
            var reason = r.Read7BitEncodedInt() is var e and > 0 ? table[e - 1] : null;
            var failed = r.ReadBoolean();
            var version = r.Read7BitEncodedInt64();
            var reported = r.ReadInt64();
            var present = r.ReadByte();
            for (var i = 0; i < times.Length; i++)
                times[i] = (present & (1 << i)) != 0 ? DateTimeOffset.FromUnixTimeMilliseconds(reported + UnZigZag(r.Read7BitEncodedInt64())) : null;
            facts.Add(new ShareFact(key, kind, incident.Length == 0 ? null : incident, force, la, day, type, organisation, risk,
                DateTimeOffset.FromUnixTimeMilliseconds(reported), times[0], times[1], times[2], times[3], times[4], times[5], failed, reason)
            { Version = version });
        }
        return facts;
    }

    private static long ZigZag(long value) => (value << 1) ^ (value >> 63);
    private static long UnZigZag(long value) => (long)((ulong)value >> 1) ^ -(value & 1);
}
