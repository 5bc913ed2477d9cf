using Microsoft.Extensions.Options;
using NotifyHub.Incidents;
using NotifyHub.Organisations;
using NotifyHub.Routing;

namespace NotifyHub.Retention;

/// <summary>What one purge removed: counts only.</summary>
public sealed record PurgeReport(int Incidents, int Deliveries, int ChildHistoryRecords)
{
    public bool Any => Incidents + Deliveries + ChildHistoryRecords > 0;
}

/// <summary>
/// Purges personal data past its retention period (see <see cref="RetentionOptions"/>). For each routed incident on a
/// force's retention list routed before the cutoff: the deliveries' content first, then the incident's own payload,
/// then its retention row — so a crash part-way leaves it on the list and the next run finishes it. Incidents not yet
/// routed are never purged (that would lose a share). What stays — ids, times, status, risk level, counts, recipients,
/// rules, the routing decision — is what timeliness reports need and identifies no one.
/// </summary>
public sealed class PersonalDataPurge(IncidentStore incidents, DeliveryStore deliveries, ChildHistoryStore history, DirectoryStore directory,
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
                purgedDeliveries += await deliveries.PurgeContentAsync(retained.IncidentId, cancellationToken);
                await incidents.PurgePersonalDataAsync(retained, cancellationToken);
                purgedIncidents++;
            }
        }
        var records = await history.PurgeOlderThanAsync(now - settings.ChildHistoryAfter, cancellationToken);
        return new PurgeReport(purgedIncidents, purgedDeliveries, records);
    }
}
