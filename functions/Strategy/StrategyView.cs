using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Strategy;
using NotifyHub.Ledger;

namespace NotifyHub.Strategy;

/// <summary>One invitee as the chair and the other invitees see it: why invited, its answer, whether it sent information, whether it attended.</summary>
public sealed record InviteeView(string OrganisationId, string Type, string Name, string Why, bool Removed, string? Answer, DateTimeOffset? AnsweredAt,
    string? AnsweredByRole, DateTimeOffset? InformedAt, bool? Attended, string? InvitationStatus);

public sealed record ContributionView(string OrganisationId, string? Text, DateTimeOffset At);

public sealed record MinutesView(string? Text, bool Pdf, DateTimeOffset SharedAt);

/// <summary>A strategy discussion as its chair and invitees read it (never anyone else): every read is audited.</summary>
public sealed record StrategyView(
    string IncidentId, int Discussion, int DecisionVersion, string Chair, DateTimeOffset OpenedAt, DateTimeOffset HeldBy, Meeting? Meeting,
    IReadOnlyList<InviteeView> Invitees, IReadOnlyList<ContributionView> Information, HeldRecord? Held, MinutesView? Minutes, DateTimeOffset? TextPurgedAt)
{
    public static StrategyView Of(IncidentLedger ledger, StrategyDiscussion d) => new(
        ledger.IncidentId, d.Number, d.DecisionVersion, d.Chair, d.OpenedAt, d.HeldBy, d.Meeting,
        [.. d.Invitees.Select(i =>
        {
            var invitation = ledger.Delivery(DeliveryKey.Invitation(i.OrganisationId, d.Number));
            return new InviteeView(i.OrganisationId, i.Type, i.Name, i.Why, i.Removed, invitation?.Answer, invitation?.Answer is null ? null : invitation.Receipt.Acknowledged?.At,
                invitation?.Answer is null ? null : invitation.Receipt.Acknowledged?.Role, invitation?.InformedAt, invitation?.Attended, invitation?.Receipt.Status);
        })],
        [.. d.Contributions.Select(c => new ContributionView(c.OrganisationId, c.Text, c.At))], d.Held,
        d.Minutes is { } m ? new MinutesView(m.Text, m.Blob is not null, m.SharedAt) : null, d.TextPurgedAt);
}
