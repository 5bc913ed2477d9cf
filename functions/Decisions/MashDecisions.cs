using System.Security.Cryptography;
using Azure.Data.Tables;
using NotifyHub.Delivery;
using NotifyHub.Domain.Decisions;
using NotifyHub.Domain.Delivery;
using NotifyHub.Ledger;
using NotifyHub.Organisations;
using NotifyHub.Storage;
using T = NotifyHub.Domain.Directory.OrganisationTypes;

namespace NotifyHub.Decisions;

/// <summary>The MASH's notification an incident's decisions are recorded through, as found for its caller.</summary>
public sealed record MashNotification(DeliveryRecord Delivery, IncidentLedger Ledger);

/// <summary>
/// What a MASH does with its decisions: find the incident through its own notification, record a decision (a new version,
/// committed to the incident's ledger by its one writer), read every version. The reading force reads them by its reference.
/// </summary>
public sealed class MashDecisions(LedgerStore ledger, LedgerWriter writer, DirectoryStore directory, TableServiceClient tables, TimeProvider time)
{
    /// <summary>The MASH's notification <paramref name="notificationId"/>, if it is addressed to <paramref name="organisationId"/> and that is a MASH.</summary>
    public async Task<MashNotification?> FindAsync(string notificationId, string organisationId, CancellationToken ct)
    {
        if (!NotificationId.TryParse(notificationId, out var incidentId, out var recipientId) || recipientId != organisationId) return null;
        var current = await ledger.LoadAsync(incidentId, LedgerParts.Decisions, null, ct);
        return current.Delivery(recipientId) is { RecipientType: T.Mash } d ? new MashNotification(d, current) : null;
    }

    /// <summary>The next steps' owners that are not active organisations in the directory, by their index in the request.</summary>
    public async Task<IReadOnlyList<int>> UnknownOwnersAsync(DecisionRequest request, CancellationToken ct)
    {
        var unknown = new List<int>();
        for (var i = 0; i < request.NextSteps.Count; i++)
        {
            if (await directory.GetAsync(request.NextSteps[i].Owner, ct) is not { Active: true }) unknown.Add(i);
        }
        return unknown;
    }

    /// <summary>
    /// Records <paramref name="request"/> as the incident's next decision version. The id is chosen once, before the first
    /// try: a commit that landed before its answer was lost is found on the next read and not made twice.
    /// </summary>
    public async Task<(MashDecision Decision, bool Created)> RecordAsync(MashNotification mash, DecisionRequest request, string keyId, CancellationToken ct)
    {
        var decisionId = "dec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        MashDecision? recorded = null;
        var committed = await writer.ChangeAsync(mash.Ledger.IncidentId, LedgerParts.Decisions, null, current =>
        {
            if (current.Delivery(mash.Delivery.RecipientId) is not { } delivery) return null;
            var (decision, updated, recordedEvent) = DecisionChanges.Record(current.Decisions, delivery, request, decisionId, keyId, time.GetUtcNow());
            recorded = decision;
            if (recordedEvent is null) return null;
            var write = new LedgerWrite();
            write.Decisions.Add(decision);
            write.Deliveries.Add(updated);
            write.Events.Add(recordedEvent);
            return write;
        }, LedgerWriter.Options.Request, ct);
        return (recorded!, committed.Events.Count > 0);
    }

    /// <summary>The awaiting-decision view's rows (<see cref="DecisionViews.Awaiting"/>): one MASH's, or every MASH's.</summary>
    public IAsyncEnumerable<TableEntity> AwaitingAsync(string? mash, CancellationToken ct)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {DecisionViews.AwaitingPartition}");
        if (mash is not null) filter += " and " + TableClient.CreateQueryFilter($"RecipientId eq {mash}");
        return tables.GetTableClient(StorageNames.DecisionsAwaitingTable).QueryAsync<TableEntity>(filter, cancellationToken: ct);
    }

    /// <summary>The decided incidents' view rows (<see cref="DecisionViews.Made"/>).</summary>
    public IAsyncEnumerable<TableEntity> MadeAsync(CancellationToken ct) =>
        tables.GetTableClient(StorageNames.DecisionsMadeTable).QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {DecisionViews.MadePartition}"), cancellationToken: ct);

    /// <summary>Every decision version of an incident, oldest first.</summary>
    public async Task<IReadOnlyList<MashDecision>> ForIncidentAsync(string incidentId, CancellationToken ct) =>
        (await ledger.LoadAsync(incidentId, LedgerParts.Decisions, null, ct)).Decisions;
}
