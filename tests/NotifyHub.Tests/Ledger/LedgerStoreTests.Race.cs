using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using NotifyHub.Domain.Delivery;
using NotifyHub.Ledger;
using NotifyHub.Storage;
using NotifyHub.Tests.Infrastructure;
using NotifyHub.Timeliness;

namespace NotifyHub.Tests.Ledger;

public partial class LedgerStoreTests
{
    /// <summary>Holds every write a client makes until released, and says when the first one is waiting.</summary>
    private sealed class WriteGate : HttpPipelinePolicy
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Reached => _reached.Task;

        public void Open() => _open.TrySetResult();

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (message.Request.Method != RequestMethod.Get)
            {
                _reached.TrySetResult();
                await _open.Task;
            }
            await ProcessNextAsync(message, pipeline);
        }
    }

    [Fact]
    public async Task A_catch_up_that_loses_the_race_to_the_checkpoint_writes_its_rows_again_so_no_view_is_left_older_than_the_ledger()
    {
        var (tables, queues) = await StorageAsync();
        var store = new LedgerStore(tables);
        var writer = TestStores.LedgerWriter(tables, queues, TimeProvider.System);
        var id = NewIncident();
        const string recipient = "school-800000";
        var nid = NotificationId.Format(id, recipient);
        await writer.ChangeAsync(id, LedgerParts.Unrouted, null, _ => Routing(id, 1, DateTimeOffset.UtcNow.AddHours(-1)), LedgerWriter.Options.Retried, default);
        // Marked late, and its views not yet applied (the monitor died after its commit).
        var routed = await store.LoadAsync(id, LedgerParts.None, null, default);
        Assert.NotNull(await store.TryCommitAsync(routed, new LedgerWrite().Add(DeliveryChanges.MarkLate(routed.Delivery(recipient)!, DateTimeOffset.UtcNow)),
            DateTimeOffset.UtcNow, default));

        // A catch-up (ProjectLedger, say) reads the late share and is slow to write its views...
        var gate = new WriteGate();
        var options = new TableClientOptions();
        options.AddPolicy(gate, HttpPipelinePosition.PerCall);
        var slowTables = new TableServiceClient(await TestStorage.ConnectionStringAsync(), options);
        var slow = new Projector(new LedgerStore(slowTables), new RowViewWriter(slowTables), new RollupView(new RollupStore(slowTables)),
            new Dispatcher(queues, TimeProvider.System), new ProjectionHints(slowTables, TimeProvider.System), new NotifyHub.Evidence.EvidenceChanges(slowTables, TimeProvider.System),
            NullLogger<Projector>.Instance);
        var catchingUp = slow.CatchUpAsync(id, null, false, default);
        await gate.Reached;
        // ...while the school acknowledges it, and that change's apply brings the views and the checkpoint up to date first.
        await writer.ChangeAsync(id, LedgerParts.None, null, current => new LedgerWrite().Add(DeliveryChanges.Acknowledge(current.Delivery(recipient)!,
            new AcknowledgedBy("A Person", "DSL"), DateTimeOffset.UtcNow, "api")), LedgerWriter.Options.Request, default);
        Assert.False((await tables.GetTableClient(StorageNames.LateSharesTable).GetEntityIfExistsAsync<TableEntity>(LatenessViews.LatePartition, nid)).HasValue);

        // The slow catch-up's rows land after, older than the ledger; it loses the checkpoint, and must write them again.
        gate.Open();
        Assert.True(await catchingUp);
        Assert.False((await tables.GetTableClient(StorageNames.LateSharesTable).GetEntityIfExistsAsync<TableEntity>(LatenessViews.LatePartition, nid)).HasValue,
            "the open late list still lists a share acknowledged since: a catch-up's stale row was left behind");
        var inbox = await tables.GetTableClient(StorageNames.RecipientDeliveriesTable).GetEntityAsync<TableEntity>("school-800000",
            NotifyHub.Delivery.InboxKeys.RowKey(id));
        Assert.Equal(DeliveryStatus.Acknowledged, inbox.Value.GetString("Status"));
    }
}
