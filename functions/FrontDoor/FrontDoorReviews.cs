using Azure.Data.Tables;
using NotifyHub.Delivery;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Directory;
using NotifyHub.Domain.FrontDoor;
using NotifyHub.Domain.Routing;
using NotifyHub.Ledger;
using NotifyHub.Organisations;
using NotifyHub.Timeliness;
using NotifyHub.Storage;

namespace NotifyHub.FrontDoor;

/// <summary>
/// What came of a relay's release or withholding: the review and its share as stored, or why nothing changed
/// (<paramref name="UnknownSchool"/>: the new school's URN names no active school, a mistake in the request, not a conflict).
/// </summary>
public sealed record ReviewOutcome(DeliveryRecord? Review, DeliveryRecord? Share, string? Refused, string? ReroutedTo = null, bool UnknownSchool = false);

/// <summary>
/// What a relay does with a share held at its front door (docs/routing.md): release it — unchanged, with a note, or with
/// fields taken out — or withhold it with a reason; each a decision (<see cref="FrontDoorChanges"/>) committed by the ledger's
/// one writer with its events, whose apply sends a released share's first attempt.
/// </summary>
public sealed class FrontDoorReviews(LedgerWriter writer, DirectoryStore directory, TableServiceClient tables, TimeProvider time)
{
    /// <summary>The share a review is about, as read with it, and why it cannot be decided now (null: it is held, and can).</summary>
    public static (DeliveryRecord? Share, string? Refusal) HeldShare(RecipientNotification review) =>
        review.Ledger.Delivery(review.Record.Regarding ?? "") is not { } share ? (null, "the share this review is about is not on record")
        : share.IsHeld ? (share, null)
        : (share, FrontDoorChanges.Refusal(share));

    public async Task<ReviewOutcome> ReleaseAsync(DeliveryRecord review, ReleaseInput input, CancellationToken ct)
    {
        var shareKey = review.Regarding ?? "";
        string? refused = null;
        var committed = await writer.ChangeAsync(review.IncidentId, LedgerParts.Content, [shareKey], current =>
        {
            if (current.Delivery(review.RecipientId) is not { } r || current.Delivery(shareKey) is not { Hold: { } hold } s) return null;
            var (reviewed, released) = FrontDoorChanges.Release(r, s, input, time.GetUtcNow());
            if (!released.Changed) { refused = reviewed.Refused; return null; }
            var write = new LedgerWrite().Add(reviewed).Add(released);
            if (current.Content.GetValueOrDefault(shareKey) is { } content)
                write.AddContent[shareKey] = FrontDoorChanges.ReleasedContent(content, input.Remove, new FrontDoorNote(hold.Via, r.RecipientName, true, input.Note));
            return write;
        }, LedgerWriter.Options.Request, ct);
        return new(committed.After.Delivery(review.RecipientId), committed.After.Delivery(shareKey), committed.Events.Count == 0 ? refused ?? "nothing changed" : null);
    }

    /// <summary>
    /// Withholds the share. With reason <c>child-moved-school</c> and the new school's URN, the share goes to that school instead
    /// (found in the directory now; an unknown URN is refused, so the relay can correct it).
    /// </summary>
    public async Task<ReviewOutcome> WithholdAsync(DeliveryRecord review, WithholdInput input, CancellationToken ct)
    {
        var shareKey = review.Regarding ?? "";
        Organisation? school = null;
        if (input.NewSchoolUrn is { } urn)
        {
            var key = new DirectoryKey(OrganisationTypes.School, DirectoryKey.Urn, urn);
            school = (await directory.LoadAsync([key], ct)).Find(key).FirstOrDefault();
            if (school is null) return new(null, null, $"no active school with URN {urn} is in the directory", UnknownSchool: true);
        }
        string? refused = null;
        var committed = await writer.ChangeAsync(review.IncidentId, LedgerParts.Content, [shareKey], current =>
        {
            if (current.Delivery(review.RecipientId) is not { } r || current.Delivery(shareKey) is not { Hold: { } hold } s) return null;
            var now = time.GetUtcNow();
            var rerouteTo = school is not null && current.Delivery(school.Id) is null && school.Id != s.RecipientId ? school : null;
            var (reviewed, withheld) = FrontDoorChanges.Withhold(r, s, input, rerouteTo?.Id, now);
            if (!withheld.Changed) { refused = reviewed.Refused; return null; }
            var write = new LedgerWrite().Add(reviewed).Add(withheld);
            if (rerouteTo is not null && current.Content.GetValueOrDefault(shareKey) is { } content)
            {
                write.Add(FrontDoorChanges.Reroute(withheld.Record, rerouteTo, now));
                write.AddContent[rerouteTo.Id] = FrontDoorChanges.ReleasedContent(content, [],
                    new FrontDoorNote(hold.Via, r.RecipientName, true, $"Sent to you by {r.RecipientName}: the child has moved to your school."));
            }
            return write;
        }, LedgerWriter.Options.Request, ct);
        var rerouted = committed.Events.FirstOrDefault(e => e.Event.Type == Domain.Ledger.LedgerEventTypes.ShareWithheld)?.Event.String("reroutedTo");
        return new(committed.After.Delivery(review.RecipientId), committed.After.Delivery(shareKey), committed.Events.Count == 0 ? refused ?? "nothing changed" : null,
            rerouted);
    }

    /// <summary>The front-door report over the hops of <paramref name="scope"/>'s LAs held from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public async Task<FrontDoorReport> ReportAsync(Scope scope, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var rows = new List<HopRow>();
        await foreach (var row in tables.GetTableClient(StorageNames.FrontDoorHopsTable)
                           .QueryAsync<TableEntity>(e => e.PartitionKey == FrontDoorViews.HopsPartition, cancellationToken: ct))
        {
            if (!scope.Covers(row.GetString("La") ?? "", row.GetString("ForceCode") ?? "")) continue;
            rows.Add(new HopRow(row.GetString("IncidentId") ?? "", row.GetString("La") ?? "", row.GetString("Via") ?? "", row.GetString("RecipientType") ?? "",
                row.GetString("RiskLevel") ?? "", row.GetDateTimeOffset("HeldAt") ?? default, row.GetDateTimeOffset("ReleaseDueAt") ?? default,
                row.GetDateTimeOffset("DueAt"), row.GetString("State") ?? HoldStates.Held, row.GetDateTimeOffset("At"), row.GetString("Reason"),
                row.GetDateTimeOffset("LateAt"), row.GetBoolean("OnTime")));
        }
        return FrontDoorReports.Build(from, to, scope.Las, rows, time.GetUtcNow());
    }
}
