using Azure;
using Azure.Data.Tables;
using Microsoft.Azure.Functions.Worker;
using NotifyHub.Delivery;
using NotifyHub.Domain;
using NotifyHub.Domain.Delivery;
using NotifyHub.Storage;
using NotifyHub.Timeliness;

namespace NotifyHub.Functions;

/// <summary>
/// Timer <c>%DailyDigestSchedule%</c> (daily, 07:00): every active partnership lead gets yesterday's late and missing
/// counts for its LAs by email (to its contacts with an email address, else its escalation contacts), with a fresh link
/// to its dashboard. Each lead's digest for a day is recorded when sent, so a rerun sends only the ones still unsent.
/// </summary>
public sealed class DailyDigest(PartnershipLeads leads, ReportReader reports, DashboardLinks links, EmailSender email, TableServiceClient tables,
    TimeProvider time, ILogger<DailyDigest> logger)
{
    public const string ScheduleSetting = "DailyDigestSchedule";

    [Function(nameof(DailyDigest))]
    public async Task RunAsync([TimerTrigger("%" + ScheduleSetting + "%")] TimerInfo timer, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var yesterday = UkTime.DateOf(now).AddDays(-1);
        var sent = tables.GetTableClient(StorageNames.DueIndexTable);
        foreach (var lead in await leads.AllAsync(ct))
        {
            var marker = $"{lead.Id}|{yesterday:yyyy-MM-dd}";
            if ((await sent.GetEntityIfExistsAsync<TableEntity>("digest", marker, cancellationToken: ct)).HasValue) continue;
            var las = lead.LaCodes ?? [];
            // Shares due yesterday may have been reported up to a few weeks before.
            var facts = await reports.FactsAsync(new Scope(las, null), yesterday.AddDays(-31), yesterday, ct);
            var counts = DigestCounts.Of(facts, yesterday, now);
            var to = (lead.Contacts ?? []).Select(c => c.Email).OfType<string>().ToList();
            if (to.Count == 0) to = (lead.EscalationContacts ?? []).Select(c => c.Email).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var (url, expires) = await links.CreateAsync(lead.Id, ct);
            var outcome = to.Count == 0 ? "no-email-address" : "sent";
            foreach (var address in to)
            {
                var result = await email.SendAsync(DigestEmails.Build(address, lead.Name, las, counts, url, expires), ct);
                if (result.Outcome.Kind != OutcomeKind.Delivered) outcome = "failed-" + result.Outcome.ErrorClass;
            }
            TimelinessLog.Digest(logger, lead.Id, counts.Late, counts.Missing, outcome);
            if (outcome == "sent" || outcome == "no-email-address")
                await sent.UpsertEntityAsync(new TableEntity("digest", marker) { ["SentAt"] = now, ["Outcome"] = outcome }, TableUpdateMode.Replace, ct);
        }
    }
}
