using NotifyHub.Audit;
using NotifyHub.Delivery;
using NotifyHub.Domain.Decisions;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Validation;
using T = NotifyHub.Domain.Directory.OrganisationTypes;

namespace NotifyHub.Decisions;

/// <summary>
/// A MASH records its decision on its incident notification's page, through the email link (the page's form,
/// <c>action=decide</c>): the form is turned into the API's JSON and read by the API's rules (<see cref="DecisionForm"/>,
/// <see cref="MashDecisions.Validate"/>), the owners and children checked, and the version recorded as
/// <c>POST /api/notifications/{id}/decisions</c> records it — key id <c>link</c>, and the link's holder in the audit trail.
/// </summary>
public sealed class LinkDecisions(MashDecisions decisions, AuditTrail audit)
{
    /// <summary>The key id a version recorded through an email link carries (the link is the credential; it has no API key).</summary>
    public const string KeyId = "link";

    /// <summary>What came of a decision sent through the page: the version recorded, or the mistakes with what was typed.</summary>
    public sealed record Outcome(MashNotification Mash, DecisionFormEntry Entry, FieldErrors Errors, MashDecision? Recorded)
    {
        /// <summary>The page's decision section: the new version and an empty form, or the form as typed with its mistakes.</summary>
        public DecisionSection Section => Recorded is { } recorded
            ? new DecisionSection(Mash.Delivery.Children, recorded, Recorded: recorded.Version)
            : SectionOf(Mash) with { Entered = Entry, Errors = Errors };
    }

    /// <summary>Only a MASH's own incident notification takes a decision: not a school's, not a follow-up of a decision.</summary>
    public static bool Takes(DeliveryRecord record) => record is { RecipientType: T.Mash, Kind: DeliveryKinds.Incident };

    /// <summary>The decision section of <paramref name="record"/>'s page (its latest version and an empty form); null for a notification that takes none.</summary>
    public async Task<DecisionSection?> SectionAsync(DeliveryRecord record, CancellationToken ct) =>
        Takes(record) && await decisions.FindAsync(record.NotificationId, record.OrganisationId, ct) is { } mash ? SectionOf(mash) : null;

    private static DecisionSection SectionOf(MashNotification mash) => new(mash.Delivery.Children, mash.Ledger.Decisions.MaxBy(d => d.Version));

    /// <summary>Records the decision the form holds (each field's values by <paramref name="values"/>); null when the notification takes none.</summary>
    public async Task<Outcome?> DecideAsync(DeliveryRecord record, Func<string, IReadOnlyList<string>> values, CancellationToken ct)
    {
        if (!Takes(record) || await decisions.FindAsync(record.NotificationId, record.OrganisationId, ct) is not { } mash) return null;
        var entry = DecisionForm.Read(values);
        var validated = DecisionForm.Validate(entry, body => decisions.Validate(mash, body));
        if (!validated.IsValid) return new Outcome(mash, entry, validated.Errors, null);
        if (await decisions.RefusalsAsync(mash, validated.Value!, ct) is { Any: true } refused) return new Outcome(mash, entry, refused, null);

        var (recorded, created, shared) = await decisions.RecordAsync(mash, validated.Value!, KeyId, ct);
        if (created)
        {
            await audit.RecordStoredAsync(AuditActor.Link(mash.Delivery.OrganisationId), AuditActions.DecisionRecorded, [mash.Ledger.IncidentId, recorded.DecisionId],
                MashDecisions.AuditDetails(recorded, shared));
        }
        return new Outcome(mash, entry, new FieldErrors(), recorded);
    }
}
