using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using NotifyHub.Domain.Timeliness;
using NotifyHub.Storage;

namespace NotifyHub.Timeliness;

/// <summary>
/// The rollups the timeliness reports read (table <c>Rollups</c>): partition = local authority, row = the local date the
/// shares were reported (<c>yyyy-MM-dd</c>), holding every share of that LA and day as a compact <see cref="ShareFact"/>
/// (Brotli-compressed). A state change replaces its share's fact — never an increment — so applying one twice, or late,
/// or out of order after a rebuild, converges on the same rollup; a quarter for one LA is about ninety rows, however many
/// deliveries there were. Updates are ETag-conditional and retried, so concurrent deliveries never lose each other's facts.
/// </summary>
public sealed class RollupStore(TableServiceClient tables)
{
    private TableClient Table => tables.GetTableClient(StorageNames.RollupsTable);

    /// <summary>
    /// Records the facts (each replacing any fact with its key), one conditional write per LA and day. With
    /// <paramref name="onlyIfAbsent"/> a fact already there stays: a retried routing must not set a delivery back to pending.
    /// </summary>
    public async Task RecordAsync(IEnumerable<ShareFact> facts, CancellationToken ct, bool onlyIfAbsent = false)
    {
        foreach (var cell in facts.GroupBy(f => (f.La, f.Day)))
        {
            await UpdateCellAsync(cell.Key.La, cell.Key.Day, existing =>
            {
                foreach (var fact in cell)
                {
                    if (onlyIfAbsent) existing.TryAdd(fact.Key, fact);
                    else existing[fact.Key] = fact;
                }
            }, ct);
        }
    }

    /// <summary>Removes the facts with these keys (a manifest entry the hub has since received).</summary>
    public async Task ForgetAsync(string la, DateOnly day, IReadOnlyCollection<string> keys, CancellationToken ct) =>
        await UpdateCellAsync(la, day, existing =>
        {
            foreach (var key in keys) existing.Remove(key);
        }, ct);

    private async Task UpdateCellAsync(string la, DateOnly day, Action<Dictionary<string, ShareFact>> change, CancellationToken ct)
    {
        var rowKey = RowKey(day);
        for (var tries = 0; ; tries++)
        {
            var row = await Table.GetEntityIfExistsAsync<TableEntity>(la, rowKey, cancellationToken: ct);
            var facts = row.HasValue ? Decode(row.Value!).ToDictionary(f => f.Key, StringComparer.Ordinal) : new Dictionary<string, ShareFact>(StringComparer.Ordinal);
            change(facts);
            var entity = Entity(la, day, facts.Values);
            try
            {
                if (row.HasValue) await Table.UpdateEntityAsync(entity, row.Value!.ETag, TableUpdateMode.Replace, ct);
                else await Table.AddEntityAsync(entity, ct);
                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && tries < 50)
            {
                // Another share of this LA and day was recorded meanwhile: read it again and apply ours on top.
                await Task.Delay(Random.Shared.Next(5, 20 + tries * 10), ct);
            }
        }
    }

    /// <summary>Replaces whole cells (the rebuild): each LA and day with exactly these facts.</summary>
    public async Task ReplaceAsync(IEnumerable<ShareFact> facts, CancellationToken ct)
    {
        foreach (var cell in facts.GroupBy(f => (f.La, f.Day)))
        {
            await Table.UpsertEntityAsync(Entity(cell.Key.La, cell.Key.Day, cell), TableUpdateMode.Replace, ct);
        }
    }

    /// <summary>Every cell's (LA, day), for the rebuild to clear the ones no raw record supports any more.</summary>
    public async Task<IReadOnlyList<(string La, string Day)>> CellsAsync(CancellationToken ct)
    {
        var cells = new List<(string, string)>();
        await foreach (var row in Table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"], cancellationToken: ct)) cells.Add((row.PartitionKey, row.RowKey));
        return cells;
    }

    public Task DeleteCellAsync(string la, string day, CancellationToken ct) => Table.DeleteEntityAsync(la, day, ETag.All, ct);

    /// <summary>The facts of the given LAs reported from <paramref name="from"/> to <paramref name="to"/>: one range query per LA.</summary>
    public async Task<IReadOnlyList<ShareFact>> ReadAsync(IEnumerable<string> las, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var queries = las.Distinct(StringComparer.Ordinal).Select(async la =>
        {
            var list = new List<ShareFact>();
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {la} and RowKey ge {RowKey(from)} and RowKey le {RowKey(to)}");
            await foreach (var row in Table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: ct)) list.AddRange(Decode(row));
            return list;
        }).ToList();
        return (await Task.WhenAll(queries)).SelectMany(l => l).ToList();
    }

    /// <summary>Every LA that has a rollup (an administrator's report over all of them).</summary>
    public async Task<IReadOnlyList<string>> LasAsync(CancellationToken ct)
    {
        var las = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var row in Table.QueryAsync<TableEntity>(select: ["PartitionKey"], cancellationToken: ct)) las.Add(row.PartitionKey);
        return las.ToList();
    }

    private static string RowKey(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static TableEntity Entity(string la, DateOnly day, IEnumerable<ShareFact> facts)
    {
        var list = facts.OrderBy(f => f.Key, StringComparer.Ordinal).ToList();
        var entity = new TableEntity(la, RowKey(day)) { ["Count"] = list.Count };
        LargeBinary.Write(entity, "Facts", Encode(list));
        return entity;
    }

    // The compact form: a JSON array of arrays, positional, times as Unix seconds, then Brotli.
    internal static byte[] Encode(IReadOnlyList<ShareFact> facts)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var f in facts)
            {
                w.WriteStartArray();
                w.WriteStringValue(f.Key);
                w.WriteStringValue(f.Kind);
                Text(w, f.IncidentId);
                w.WriteStringValue(f.ForceCode);
                w.WriteStringValue(f.La);
                w.WriteNumberValue(f.Day.DayNumber);
                w.WriteStringValue(f.RecipientType);
                Text(w, f.OrganisationId);
                w.WriteStringValue(f.RiskLevel);
                Time(w, f.ReportedAt);
                Time(w, f.OccurredAt);
                Time(w, f.AttendedAt);
                Time(w, f.ReceivedAt);
                Time(w, f.DueAt);
                Time(w, f.DeliveredAt);
                Time(w, f.AcknowledgedAt);
                w.WriteBooleanValue(f.Failed);
                Text(w, f.Reason);
                w.WriteEndArray();
            }
            w.WriteEndArray();
        }
        using var output = new MemoryStream();
        using (var brotli = new BrotliStream(output, CompressionLevel.Fastest)) brotli.Write(buffer.WrittenSpan);
        return output.ToArray();
    }

    private static void Text(Utf8JsonWriter w, string? value)
    {
        if (value is null) w.WriteNullValue();
        else w.WriteStringValue(value);
    }

    private static void Time(Utf8JsonWriter w, DateTimeOffset? value)
    {
        if (value is { } at) w.WriteNumberValue(at.ToUnixTimeMilliseconds());
        else w.WriteNullValue();
    }

    internal static IReadOnlyList<ShareFact> Decode(TableEntity row)
    {
        if (LargeBinary.Read(row, "Facts") is not { } compressed) return [];
        using var input = new BrotliStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var json = new MemoryStream();
        input.CopyTo(json);
        var reader = new Utf8JsonReader(json.GetBuffer().AsSpan(0, (int)json.Length));
        var facts = new List<ShareFact>();
        reader.Read(); // [
        while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
        {
            string? S(ref Utf8JsonReader r) { r.Read(); return r.TokenType == JsonTokenType.Null ? null : r.GetString(); }
            DateTimeOffset? T(ref Utf8JsonReader r) { r.Read(); return r.TokenType == JsonTokenType.Null ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64()); }
            var key = S(ref reader)!;
            var kind = S(ref reader)!;
            var incident = S(ref reader);
            var force = S(ref reader)!;
            var la = S(ref reader)!;
            reader.Read();
            var day = DateOnly.FromDayNumber(reader.GetInt32());
            var type = S(ref reader)!;
            var organisation = S(ref reader);
            var risk = S(ref reader)!;
            var reported = T(ref reader)!.Value;
            var occurred = T(ref reader);
            var attended = T(ref reader);
            var received = T(ref reader);
            var due = T(ref reader);
            var delivered = T(ref reader);
            var acknowledged = T(ref reader);
            reader.Read();
            var failed = reader.GetBoolean();
            var reason = S(ref reader);
            reader.Read(); // ]
            facts.Add(new ShareFact(key, kind, incident, force, la, day, type, organisation, risk, reported, occurred, attended, received, due, delivered, acknowledged, failed, reason));
        }
        return facts;
    }
}
