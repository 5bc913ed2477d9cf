using Azure.Data.Tables;
using Azure.Storage.Queues;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Ledger;
using NotifyHub.Domain.Timeliness;
using NotifyHub.Ledger;
using NotifyHub.Storage;
using NotifyHub.Tests.Infrastructure;
using NotifyHub.Timeliness;

namespace NotifyHub.Tests.Ledger;

/// <summary>The ledger's one writer and the projector, against real Azurite (each test its own incidents).</summary>
public partial class LedgerStoreTests
{
    private static readonly IncidentFacts Facts = new("SYN", "SYN-1", "872", "medium", DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(-2),
        null, DateTimeOffset.UtcNow.AddDays(-2));

    private static async Task<(TableServiceClient Tables, QueueServiceClient Queues)> StorageAsync()
    {
        var connection = await TestStorage.ConnectionStringAsync();
        var tables = new TableServiceClient(connection);
        var queues = new QueueServiceClient(connection, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        foreach (var table in StorageNames.Tables) await tables.CreateTableIfNotExistsAsync(table);
        foreach (var queue in StorageNames.Queues) await queues.GetQueueClient(queue).CreateIfNotExistsAsync();
        return (tables, queues);
    }

    private static string NewIncident() => "inc_" + Guid.CreateVersion7().ToString("N");

    private static LedgerWrite Routing(string incidentId, int recipients, DateTimeOffset dueAt)
    {
        var write = new LedgerWrite { Facts = Facts };
        for (var r = 0; r < recipients; r++)
        {
            var recipient = $"school-{800000 + r}";
            write.Add(DeliveryChanges.Route(DeliveryRecord.New(incidentId, recipient, "school", "Synthetic School", "operation-encompass", [0], [], 0, "SYN",
                "SYN-1", new DueInfo(dueAt, "next-school-day", false), DateTimeOffset.UtcNow)));
            write.AddContent[recipient] = "{\"children\":[]}"u8.ToArray();
        }
        return write;
    }

    [Fact]
    public async Task Two_writers_never_both_append_the_one_that_read_first_is_refused_and_decides_again()
    {
        var (tables, _) = await StorageAsync();
        var store = new LedgerStore(tables);
        var id = NewIncident();
        var routed = await store.TryCommitAsync(IncidentLedger.Empty(id), Routing(id, 1, DateTimeOffset.UtcNow.AddDays(1)), DateTimeOffset.UtcNow, default);
        var first = await store.LoadAsync(id, LedgerParts.None, null, default);
        var second = await store.LoadAsync(id, LedgerParts.None, null, default);
        var by = new AcknowledgedBy("A Person", "DSL");

        var won = await store.TryCommitAsync(first, new LedgerWrite().Add(DeliveryChanges.Acknowledge(first.Deliveries.Values.Single(), by, DateTimeOffset.UtcNow, "api")),
            DateTimeOffset.UtcNow, default);
        var lost = await store.TryCommitAsync(second, new LedgerWrite().Add(DeliveryChanges.Retrieve(second.Deliveries.Values.Single(), DateTimeOffset.UtcNow, "fetched")),
            DateTimeOffset.UtcNow, default);

        Assert.NotNull(routed);
        Assert.NotNull(won);
        Assert.Null(lost);
        var events = await store.AllEventsAsync(id, default);
        Assert.Equal([1L, 2L, 3L], events.Select(e => e.Version));
        Assert.Equal([LedgerEventTypes.DeliveryRouted, LedgerEventTypes.Delivered, LedgerEventTypes.Acknowledged], events.Select(e => e.Event.Type));
    }

    [Fact]
    public async Task A_write_larger_than_a_transaction_goes_in_several_each_holding_whole_deliveries_with_events_numbered_in_order()
    {
        var (tables, _) = await StorageAsync();
        var store = new LedgerStore(tables);
        var id = NewIncident();

        var committed = await store.TryCommitAsync(IncidentLedger.Empty(id), Routing(id, 45, DateTimeOffset.UtcNow.AddDays(1)), DateTimeOffset.UtcNow, default);

        var ledger = await store.LoadAsync(id, LedgerParts.Content, null, default);
        Assert.Equal(45, ledger.Deliveries.Count);
        Assert.Equal(45, ledger.Content.Count);
        Assert.Equal(45, ledger.Version);
        Assert.Equal(Enumerable.Range(1, 45).Select(v => (long)v), (await store.AllEventsAsync(id, default)).Select(e => e.Version));
        Assert.Equal(45, committed!.Events.Count);
    }

    [Fact]
    public async Task A_share_acknowledged_while_the_monitor_decides_is_marked_late_as_acknowledged_late_and_never_listed_as_open_late()
    {
        var (tables, queues) = await StorageAsync();
        var store = new LedgerStore(tables);
        var writer = TestStores.LedgerWriter(tables, queues, TimeProvider.System);
        var id = NewIncident();
        await writer.ChangeAsync(id, LedgerParts.Unrouted, null, _ => Routing(id, 1, DateTimeOffset.UtcNow.AddHours(-1)), LedgerWriter.Options.Retried, default);
        var recipient = "school-800000";

        // The monitor reads the share (due an hour ago, not acknowledged)...
        var asTheMonitorReadIt = await store.LoadAsync(id, LedgerParts.None, null, default);
        // ...the school acknowledges it...
        await writer.ChangeAsync(id, LedgerParts.None, null, current => new LedgerWrite().Add(DeliveryChanges.Acknowledge(current.Delivery(recipient)!,
            new AcknowledgedBy("A Person", "DSL"), DateTimeOffset.UtcNow, "api")), LedgerWriter.Options.Request, default);
        // ...and the monitor commits what it decided on what it read: refused, it decides again on what is stored now.
        var marked = await writer.CommitAsync(asTheMonitorReadIt, current => new LedgerWrite().Add(DeliveryChanges.MarkLate(current.Delivery(recipient)!,
            DateTimeOffset.UtcNow)), LedgerWriter.Options.Retried, () => store.LoadAsync(id, LedgerParts.None, null, default), default);
        await writer.ApplyAsync(marked, LedgerWriter.Options.Retried, default);

        var late = Assert.Single(marked.Events);
        Assert.True(late.Event.Flag("acknowledged"));
        var nid = NotificationId.Format(id, recipient);
        Assert.False((await tables.GetTableClient(StorageNames.LateSharesTable).GetEntityIfExistsAsync<TableEntity>(LatenessViews.LatePartition, nid)).HasValue);
        Assert.DoesNotContain(tables.GetTableClient(StorageNames.DueIndexTable).Query<TableEntity>(e => e.PartitionKey == LatenessViews.AwaitingPartition),
            e => e.RowKey.EndsWith(nid, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rollup_fact_is_replaced_only_by_one_at_least_as_new_so_an_older_apply_or_a_rebuild_never_sets_it_back()
    {
        var (tables, _) = await StorageAsync();
        var rollups = new RollupStore(tables);
        var la = Random.Shared.Next(100, 999).ToString();
        var reported = DateTimeOffset.UtcNow;
        ShareFact Fact(long version, DateTimeOffset? acknowledged) =>
            new ShareFact("n:" + la, ShareKinds.Delivery, "inc_x", "SYN", la, Domain.UkTime.DateOf(reported), "school", "school-1", "medium", reported, null, null,
                null, reported.AddHours(1), reported, acknowledged, false, null) { Version = version };

        await rollups.RecordAsync([Fact(5, reported.AddMinutes(30))], default);
        await rollups.RecordAsync([Fact(3, null)], default);

        var stored = Assert.Single(await rollups.ReadAsync([la], Domain.UkTime.DateOf(reported), Domain.UkTime.DateOf(reported), default));
        Assert.Equal(5, stored.Version);
        Assert.NotNull(stored.AcknowledgedAt);
    }

    [Fact]
    public async Task Applying_the_same_commit_twice_writes_the_same_view_rows()
    {
        var (tables, queues) = await StorageAsync();
        var store = new LedgerStore(tables);
        var writer = TestStores.LedgerWriter(tables, queues, TimeProvider.System);
        var id = NewIncident();
        var committed = await writer.ChangeAsync(id, LedgerParts.Unrouted, null, _ => Routing(id, 3, DateTimeOffset.UtcNow.AddDays(1)),
            LedgerWriter.Options.Retried, default);
        async Task<string> InboxAsync()
        {
            var rows = new List<string>();
            foreach (var r in committed.After.Deliveries.Keys.Order())
            {
                var e = (await tables.GetTableClient(StorageNames.RecipientDeliveriesTable).GetEntityAsync<TableEntity>(r, NotifyHub.Delivery.InboxKeys.RowKey(id))).Value;
                rows.Add(string.Join(",", e.Where(p => p.Key is not ("Timestamp" or "odata.etag")).OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}")));
            }
            return string.Join("|", rows);
        }
        var once = await InboxAsync();

        // The same events applied again — a catch-up after a crash would do this — leave the rows as they were.
        var ledger = await store.LoadAsync(id, LedgerParts.Unrouted, null, default);
        await writer.ApplyAsync(new Committed(ledger with { Applied = 0 }, ledger, committed.Events), LedgerWriter.Options.Retried, default);

        Assert.Equal(once, await InboxAsync());
        Assert.Equal(committed.After.Version, (await store.LoadAsync(id, LedgerParts.None, null, default)).Applied);
    }

    [Fact]
    public void Only_the_ledger_store_writes_the_ledger_table()
    {
        var writers = Directory.EnumerateFiles(RepoPaths.FunctionsSource, "*.cs", SearchOption.AllDirectories)
            .Where(f => File.ReadAllText(f).Contains("StorageNames.LedgerTable", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(RepoPaths.FunctionsSource, f)).ToList();
        Assert.Equal([Path.Combine("Ledger", "LedgerStore.cs")], writers);
    }
}
