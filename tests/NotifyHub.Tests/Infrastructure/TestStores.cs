using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging.Abstractions;
using NotifyHub.Ledger;
using NotifyHub.Timeliness;

namespace NotifyHub.Tests.Infrastructure;

/// <summary>The hub's stores wired as the app wires them, for tests that call a store directly against Azurite.</summary>
public static class TestStores
{
    /// <summary>The ledger's one writer, with its projector and views, over these clients.</summary>
    public static LedgerWriter LedgerWriter(TableServiceClient tables, QueueServiceClient queues, TimeProvider time)
    {
        var store = new LedgerStore(tables);
        var hints = new ProjectionHints(tables, time);
        var projector = new Projector(store, new RowViewWriter(tables), new RollupView(new RollupStore(tables)), new Dispatcher(queues, time), hints,
            new NotifyHub.Evidence.EvidenceChanges(tables, time),
            NullLogger<Projector>.Instance);
        return new LedgerWriter(store, projector, hints, time, NullLogger<LedgerWriter>.Instance);
    }

    /// <summary>The projected content stored for one delivery on its incident's ledger, as text (null once purged).</summary>
    public static async Task<string?> ContentAsync(TableServiceClient tables, string incidentId, string recipientId)
    {
        var ledger = await new LedgerStore(tables).LoadAsync(incidentId, LedgerParts.Content, [recipientId], default);
        return ledger.Content.GetValueOrDefault(recipientId) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;
    }
}
