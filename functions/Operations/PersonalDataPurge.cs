using Microsoft.Extensions.Options;
using NotifyHub.Incidents;
using NotifyHub.Organisations;
using NotifyHub.Routing;
using NotifyHub.Ledger;
using NotifyHub.Domain.Delivery;

namespace NotifyHub.Retention;

/// <summary>What one purge removed: counts only.</summary>
public sealed record PurgeReport(int Incidents, int Deliveries, int ChildHistoryRecords)
{
    public bool Any => Incidents + Deliveries + ChildHistoryRecords > 0;
}

/// <summary>
/// Purges personal data past its retention period (see <see cref="RetentionOptions"/>). For each routed incident on a
/// force's retention list routed before the cutoff: the deliveries' content, the acknowledging people's names and what
/// receivers answered first (on the incident's ledger), then the incident's own payload,
/// then its retention row — so a crash part-way leaves it on the list and the next run finishes it. Incidents not yet
/// routed are never purged (that would lose a share). What stays — ids, times, status, risk level, counts, recipients,
/// rules, the routing decision — is what timeliness reports need and identifies no one.
/// </summary>
public sealed class PersonalDataPurge(IncidentStore incidents, LedgerWriter ledger, ChildHistoryStore history, DirectoryStore directory,
    Strategy.MinutesStore minutes,
    IOptions<RetentionOptions> options, TimeProvider time)
{
    public async Task<PurgeReport> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var (purgedIncidents, purgedDeliveries) = (0, 0);
        foreach (var force in await directory.Forces.CodesAsync(cancellationToken))
        {
            await foreach (var retained in incidents.RetainedAsync(force, now - settings.PersonalDataAfter, cancellationToken))
            {
                purgedDeliveries += await PurgeDeliveriesAsync(retained.IncidentId, cancellationToken);
                await incidents.PurgePersonalDataAsync(retained, cancellationToken);
                purgedIncidents++;
            }
        }
        var records = await history.PurgeOlderThanAsync(now - settings.ChildHistoryAfter, cancellationToken);
        return new PurgeReport(purgedIncidents, purgedDeliveries, records);
    }

    /// <summary>
    /// Purges every delivery of the incident on its ledger: the projected content, what receivers answered (attempt responses,
    /// SMTP replies) and the acknowledging person's name go, each delivery's purge an event; and the free text of the MASH's
    /// decisions (rationale, next steps' actions), each version's purge an event; and the strategy discussions' free text —
    /// what invitees sent, the minutes, the joining details, the actions' words — with the minutes' PDF, deleted from blob
    /// storage first (a crash after it leaves the text to the next run, which deletes nothing twice). Answers how many
    /// deliveries it purged; safe to repeat (a delivery purged already is left alone).
    /// </summary>
    private async Task<int> PurgeDeliveriesAsync(string incidentId, CancellationToken ct)
    {
        await minutes.DeleteForIncidentAsync(incidentId, ct);
        var committed = await ledger.ChangeAsync(incidentId, LedgerParts.Content | LedgerParts.Attempts | LedgerParts.Decisions | LedgerParts.Strategy, null, current =>
        {
            var now = time.GetUtcNow();
            var write = new LedgerWrite();
            foreach (var d in current.Deliveries.Values) write.Add(DeliveryChanges.PurgeContent(d, now));
            foreach (var r in current.Content.Keys) write.RemoveContent.Add(r);
            write.ClearAttemptResponses.AddRange(current.Attempts.Where(a => a.Attempt.Response is not null || a.Attempt.SmtpReply is not null));
            foreach (var decision in current.Decisions)
            {
                var (purged, recorded) = Domain.Decisions.DecisionChanges.PurgeText(decision, now);
                if (recorded is null) continue;
                write.Decisions.Add(purged);
                write.Events.Add(recorded);
            }
            foreach (var discussion in current.Discussions)
            {
                var purged = Domain.Strategy.StrategyChanges.PurgeText(discussion, now);
                if (!purged.Changed) continue;
                write.Discussions.Add(purged.Discussion);
                write.Events.AddRange(purged.Events);
            }
            return write;
        }, LedgerWriter.Options.Retried, ct);
        return committed.Events.Count(e => e.Event.Type == Domain.Ledger.LedgerEventTypes.ContentPurged);
    }
}
