using System.Text.Json;
using Microsoft.Extensions.Options;
using NotifyHub.Domain.Decisions;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Directory;
using NotifyHub.Domain.Routing;
using NotifyHub.Domain.Strategy;
using NotifyHub.Domain.Timeliness;
using NotifyHub.Ledger;
using NotifyHub.Organisations;
using NotifyHub.Storage;
using NotifyHub.Timeliness;
using T = NotifyHub.Domain.Directory.OrganisationTypes;

namespace NotifyHub.Strategy;

/// <summary>A strategy discussion as found for its caller: the discussion, the caller's own notification of it, and the ledger read with them.</summary>
/// <param name="AsChair">The caller chairs it (it came through what is due from the chair); otherwise it is an invitee.</param>
public sealed record FoundDiscussion(StrategyDiscussion Discussion, DeliveryRecord Notification, IncidentLedger Ledger, bool AsChair);

/// <summary>
/// What the chair and the invitees of a strategy discussion do (docs/strategy-discussions.md). Each change is decided by
/// <see cref="StrategyChanges"/> and committed to the incident's ledger by its one writer, with the deliveries it makes.
/// </summary>
public sealed class StrategyDiscussions(LedgerStore ledger, LedgerWriter writer, DirectoryStore directory, DueTimeCalculator dueTimes,
    IOptions<TimelinessOptions> timeliness, MinutesStore pdfs, TimeProvider time)
{
    private const LedgerParts Parts = LedgerParts.Strategy;

    /// <summary>
    /// The discussion a notification of the caller's belongs to: what is due from the chair (the chair), or an invitation,
    /// the minutes or an action (an invitee still on the list). Null for anything else, or anyone else's.
    /// </summary>
    public async Task<FoundDiscussion?> FindAsync(string notificationId, string organisationId, CancellationToken ct)
    {
        if (!NotificationId.TryParse(notificationId, out var incidentId, out var key) || DeliveryKey.OrganisationOf(key) != organisationId) return null;
        if (DeliveryKey.KindOf(key) is not (DeliveryKinds.StrategyDue or DeliveryKinds.Invitation or DeliveryKinds.Minutes or DeliveryKinds.Action)) return null;
        var current = await ledger.LoadAsync(incidentId, Parts, null, ct);
        if (current.Delivery(key) is not { } notification || DeliveryKey.NumberOf(key) is not { } number) return null;
        if (current.Discussions.FirstOrDefault(d => d.Number == number) is not { } discussion) return null;
        var chair = notification.Kind == DeliveryKinds.StrategyDue && discussion.Chair == organisationId;
        if (!chair && !discussion.IsInvited(organisationId) && notification.Kind != DeliveryKinds.Action) return null;
        return new FoundDiscussion(discussion, notification, current, chair);
    }

    /// <summary>
    /// Who is invited by default: every organisation that received the incident (but the chair), the submitting force,
    /// both probation SPOCs for the incident's LA — asked to check whether any adult is known to them, even when police did
    /// not say so — and the GP practices of the incident's children found in the directory.
    /// </summary>
    public async Task<IReadOnlyList<Invitee>> DefaultInviteesAsync(FoundDiscussion found, CancellationToken ct)
    {
        var current = await ledger.LoadAsync(found.Ledger.IncidentId, Parts | LedgerParts.Content,
            found.Ledger.Deliveries.Values.Where(d => d.Kind == DeliveryKinds.Incident).Select(d => d.RecipientId).ToList(), ct);
        var invitees = current.Deliveries.Values.Where(d => d.Kind == DeliveryKinds.Incident && d.WithRecipient && d.OrganisationId != found.Discussion.Chair)
            .Select(d => new Invitee(d.OrganisationId, d.RecipientType, d.RecipientName, InviteReasons.Received)).ToList();
        if (current.Facts is { } facts)
        {
            if (await directory.Forces.OwnerAsync(facts.ForceCode, ct) is { } forceId && await directory.GetAsync(forceId, ct) is { Active: true } force)
                invitees.Add(new Invitee(force.Id, force.Type, force.Name, InviteReasons.Force));
            var probation = await directory.LoadAsync([new DirectoryKey(T.NpsSpoc, DirectoryKey.La, facts.La), new DirectoryKey(T.CrcSpoc, DirectoryKey.La, facts.La)], ct);
            foreach (var spoc in probation.Find(new DirectoryKey(T.NpsSpoc, DirectoryKey.La, facts.La)).Concat(probation.Find(new DirectoryKey(T.CrcSpoc, DirectoryKey.La, facts.La))))
                invitees.Add(new Invitee(spoc.Id, spoc.Type, spoc.Name, InviteReasons.Probation));
        }
        var gps = current.Content.Values.Select(Children).SelectMany(c => c).Select(c => c.GpPracticeOdsCode).OfType<string>();
        foreach (var gp in await directory.GpPracticesAsync(gps, ct)) invitees.Add(new Invitee(gp.Id, gp.Type, gp.Name, InviteReasons.GpPractice));
        // Received beats the other reasons: an SPOC that received the incident is invited because it did.
        return invitees.GroupBy(i => i.OrganisationId).Select(g => g.First()).ToList();
    }

    private static IReadOnlyList<ChildContent> Children(byte[] content)
    {
        try { return JsonSerializer.Deserialize(content, RoutingJsonContext.Default.DeliveryContent)?.Children ?? []; }
        catch (JsonException) { return []; }
    }

    /// <summary>Active organisations in the directory among <paramref name="ids"/>, as invitees the chair added; the ids not found are answered too.</summary>
    public async Task<(IReadOnlyList<Invitee> Found, IReadOnlyList<int> Unknown)> AddedAsync(IReadOnlyList<string> ids, CancellationToken ct)
    {
        var found = new List<Invitee>();
        var unknown = new List<int>();
        for (var i = 0; i < ids.Count; i++)
        {
            if (await directory.GetAsync(ids[i], ct) is { Active: true } o && o.Type != T.PartnershipLead) found.Add(new Invitee(o.Id, o.Type, o.Name, InviteReasons.Added));
            else unknown.Add(i);
        }
        return (found, unknown);
    }

    public Task<Committed> ScheduleAsync(FoundDiscussion found, Meeting meeting, IReadOnlyList<Invitee> invitees, CancellationToken ct) =>
        ChangeAsync(found, (d, current, now) => StrategyChanges.Schedule(d, current.Delivery(d.Chair) ?? found.Notification, meeting, invitees,
            timeliness.Value.InvitationAnswerBefore, now), ct);

    public Task<Committed> ChangeInviteesAsync(FoundDiscussion found, IReadOnlyList<Invitee> add, IReadOnlyList<string> remove, CancellationToken ct) =>
        ChangeAsync(found, (d, current, now) => StrategyChanges.ChangeInvitees(d, current.Delivery(d.Chair) ?? found.Notification, add, remove,
            timeliness.Value.InvitationAnswerBefore, current.Deliveries, now), ct);

    public async Task<Committed> AnswerAsync(FoundDiscussion found, string answer, AcknowledgedBy by, CancellationToken ct)
    {
        var key = found.Notification.RecipientId;
        return await CommitAsync(found, current =>
            current.Delivery(key) is { } invitation ? new LedgerWrite().Add(StrategyChanges.Answer(invitation, answer, by, time.GetUtcNow())) : null, ct);
    }

    public Task<Committed> InformAsync(FoundDiscussion found, string text, CancellationToken ct) =>
        ChangeAsync(found, (d, current, now) => current.Delivery(found.Notification.RecipientId) is { } invitation
            ? StrategyChanges.Inform(d, invitation, text, now)
            : new StrategyChange(d, [], []), ct);

    public async Task<Committed> HeldAsync(FoundDiscussion found, DateTimeOffset heldAt, IReadOnlyList<string> attended, string outcome,
        IReadOnlyList<StrategyAction> actions, CancellationToken ct)
    {
        var owners = new Dictionary<string, FollowUpRecipient>(StringComparer.Ordinal);
        foreach (var owner in actions.Select(a => a.Owner).Distinct(StringComparer.Ordinal))
        {
            if (await directory.GetAsync(owner, ct) is { Active: true } o) owners[owner] = new FollowUpRecipient(o.Id, o.Type, o.Name, []);
        }
        var endsAt = DeadlineRule.TryParseTime(timeliness.Value.WorkingDayEndsAt, out var e, out _) ? e.ToTimeOnly() : (TimeOnly?)null;
        return await ChangeAsync(found, (d, current, now) => StrategyChanges.Held(d, current.Deliveries, heldAt, attended, outcome, actions, owners, endsAt, now), ct);
    }

    /// <summary>Shares the minutes: a PDF is stored in blob storage first (under ids only), then the commit makes the invitees' notifications.</summary>
    public async Task<Committed> ShareMinutesAsync(FoundDiscussion found, string? text, byte[]? pdf, CancellationToken ct)
    {
        var blob = pdf is null ? null : await pdfs.SaveAsync(found.Ledger.IncidentId, found.Discussion.Number, pdf, ct);
        var now = time.GetUtcNow();
        var due = new Dictionary<string, DueInfo>(StringComparer.Ordinal);
        foreach (var invitee in found.Discussion.Current)
        {
            var organisation = await directory.GetAsync(invitee.OrganisationId, ct) ?? new Organisation(invitee.OrganisationId, invitee.Type, invitee.Name, true);
            due[invitee.OrganisationId] = await dueTimes.ByRuleAsync(organisation, timeliness.Value.MinutesRule, now, ct);
        }
        var minutes = new MinutesRecord(text, blob, pdf?.LongLength, now);
        return await ChangeAsync(found, (d, current, at) => StrategyChanges.ShareMinutes(d, current.Delivery(d.Chair) ?? found.Notification, minutes,
            i => due.TryGetValue(i.OrganisationId, out var x) ? x : new DueInfo(at.AddDays(1), "minutes", true), at), ct);
    }

    /// <summary>The minutes' PDF, when they are one (and not purged).</summary>
    public Task<Stream?> MinutesPdfAsync(StrategyDiscussion d, CancellationToken ct) =>
        d.Minutes?.Blob is { } name ? pdfs.ReadAsync(name, ct) : Task.FromResult<Stream?>(null);

    private async Task<Committed> ChangeAsync(FoundDiscussion found, Func<StrategyDiscussion, IncidentLedger, DateTimeOffset, StrategyChange> decide, CancellationToken ct)
    {
        var number = found.Discussion.Number;
        return await CommitAsync(found, current =>
        {
            if (current.Discussions.FirstOrDefault(d => d.Number == number) is not { } discussion) return null;
            var change = decide(discussion, current, time.GetUtcNow());
            return change.Changed ? Write(current, change) : null;
        }, ct);
    }

    /// <summary>
    /// Commits on the ledger as it was read to find the discussion (no second read unless another writer came first, when
    /// it is read again and decided again), then applies the views.
    /// </summary>
    private async Task<Committed> CommitAsync(FoundDiscussion found, Func<IncidentLedger, LedgerWrite?> decide, CancellationToken ct)
    {
        var committed = await writer.CommitAsync(found.Ledger, decide, LedgerWriter.Options.Request,
            () => ledger.LoadAsync(found.Ledger.IncidentId, Parts, null, ct), ct);
        await writer.ApplyAsync(committed, LedgerWriter.Options.Request, ct);
        return committed;
    }

    /// <summary>A change as one ledger write: the discussion's row, its events, and each delivery it makes or moves, with content.</summary>
    public static LedgerWrite Write(IncidentLedger current, StrategyChange change)
    {
        var write = new LedgerWrite();
        write.Discussions.Add(change.Discussion);
        write.Events.AddRange(change.Events);
        foreach (var (decision, content) in change.Deliveries)
        {
            write.Add(decision);
            if (content is not null) write.AddContent[decision.Record.RecipientId] = content;
        }
        return write;
    }
}
