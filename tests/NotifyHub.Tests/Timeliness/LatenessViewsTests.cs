using Azure.Data.Tables;
using NotifyHub.Domain.Delivery;
using NotifyHub.Ledger;
using NotifyHub.Storage;
using NotifyHub.Tests.Infrastructure;
using NotifyHub.Timeliness;

namespace NotifyHub.Tests.Timeliness;

/// <summary>The lateness views written as a catch-up writes them: not knowing what the views held before.</summary>
public class LatenessViewsTests
{
    [Fact]
    public async Task Catching_up_a_delivery_with_no_due_time_writes_the_views_rather_than_failing_the_apply()
    {
        // An invitation to a strategy discussion not yet scheduled has no due time. A catch-up (a race between two writers of
        // the incident under load) once failed here on it, and so held back the incident's views and messages for good.
        var tables = new TableServiceClient(await TestStorage.ConnectionStringAsync());
        await tables.CreateTableIfNotExistsAsync(StorageNames.DueIndexTable);
        await tables.CreateTableIfNotExistsAsync(StorageNames.LateSharesTable);
        var now = DateTimeOffset.UtcNow;
        var incident = "inc_" + Guid.NewGuid().ToString("N");
        var noDue = new DeliveryRecord(incident, "school-100001~i1", "school", "Synthetic School", "strategy-discussion", [], [], 0, "DEMO", "REF-1", now,
            ReceiptState.New([DeliveryChannels.Inbox], now), 0, null, null, null, null, null, null, [], null, null);
        var writer = new RowViewWriter(tables);

        await writer.ApplyAsync(LatenessViews.Awaiting, [new DeliveryChange(null, noDue, BeforeKnown: false)], null, default);
        await writer.ApplyAsync(LatenessViews.Late, [new DeliveryChange(null, noDue, BeforeKnown: false)], null, default);

        var rows = await tables.GetTableClient(StorageNames.DueIndexTable).QueryAsync<TableEntity>(e => e.RowKey.CompareTo("") > 0).ToListAsync();
        Assert.DoesNotContain(rows, r => r.RowKey.EndsWith(noDue.NotificationId, StringComparison.Ordinal));
    }
}
