using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Azure.Data.Tables;
using NotifyHub.Auth;
using NotifyHub.Storage;

namespace NotifyHub.Audit;

/// <summary>The privileged acts the audit trail records. Names are <c>subject.verb</c>, past tense.</summary>
public static class AuditActions
{
    public const string ApiKeyIssued = "api-key.issued";
    public const string ApiKeyRevoked = "api-key.revoked";
    public const string OrganisationCreated = "organisation.created";
    public const string OrganisationChanged = "organisation.changed";
    public const string OrganisationCoverageChanged = "organisation.coverage-changed";
    public const string OrganisationDeactivated = "organisation.deactivated";
    public const string GiasImported = "directory.gias-imported";
    public const string OdsImported = "directory.ods-imported";
    public const string DemoSeeded = "directory.demo-seeded";
    public const string PoisonReplayed = "queue.poison-replayed";
    public const string IncidentGivenUp = "incident.marked-stuck";
    public const string IncidentRetried = "incident.retried";
    public const string PersonalDataPurged = "retention.personal-data-purged";
    public const string WebhookSecretRotated = "webhook.secret-rotated";
    public const string NotificationRead = "notification.read";
    public const string NotificationAcknowledged = "notification.acknowledged";
    public const string NotificationLinksRevoked = "notification.links-revoked";
    public const string DecisionRecorded = "decision.recorded";
    public const string ChallengeRaised = "challenge.raised";
    public const string ChallengeAnswered = "challenge.answered";
    public const string StrategyScheduled = "strategy.scheduled";
    public const string StrategyInviteesChanged = "strategy.invitees-changed";
    public const string StrategyAnswered = "strategy.answered";
    public const string StrategyInformationSent = "strategy.information-sent";
    public const string StrategyHeld = "strategy.held";
    public const string StrategyMinutesShared = "strategy.minutes-shared";
    /// <summary>Someone read a strategy discussion (what invitees sent) or its minutes: every read is audited.</summary>
    public const string StrategyRead = "strategy.read";
    public const string CalendarLoaded = "calendar.loaded";
    public const string SlaMonitorRun = "timeliness.sla-monitor-run";
    public const string ViewsRebuildStarted = "views.rebuild-started";
    public const string RepeatChildrenRead = "reports.repeat-children-read";
    public const string DashboardLinkCreated = "timeliness.dashboard-link-created";
    public const string DashboardLinksRevoked = "timeliness.dashboard-links-revoked";
    /// <summary>Someone exported an incident's evidence (every export is audited, with the caller's role).</summary>
    public const string EvidenceExported = "evidence.exported";
    /// <summary>An administrator signed an evidence anchor out of the daily run.</summary>
    public const string EvidenceAnchored = "evidence.anchored";
    public const string InspectorKeyIssued = "api-key.inspector-issued";
    /// <summary>Someone opened an incident's printable evidence timeline through the link in an export.</summary>
    public const string EvidenceTimelineOpened = "evidence.timeline-opened";

    /// <summary>An administrator set an LA's paths through its front door.</summary>
    public const string AreaPathsChanged = "directory.area-paths-changed";
    /// <summary>A relay released a share held at its front door.</summary>
    public const string ShareReleased = "front-door.released";
    /// <summary>A relay withheld a share held at its front door.</summary>
    public const string ShareWithheld = "front-door.withheld";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        AreaPathsChanged, ShareReleased, ShareWithheld, EvidenceExported, EvidenceAnchored, InspectorKeyIssued, EvidenceTimelineOpened, ApiKeyIssued, ApiKeyRevoked, OrganisationCreated, OrganisationChanged, OrganisationCoverageChanged, OrganisationDeactivated,
        GiasImported, OdsImported, DemoSeeded, PoisonReplayed, IncidentGivenUp, IncidentRetried, PersonalDataPurged,
        WebhookSecretRotated, NotificationRead, NotificationAcknowledged, NotificationLinksRevoked, DecisionRecorded, ChallengeRaised, ChallengeAnswered,
        StrategyScheduled, StrategyInviteesChanged, StrategyAnswered, StrategyInformationSent, StrategyHeld, StrategyMinutesShared, StrategyRead,
        CalendarLoaded, SlaMonitorRun, ViewsRebuildStarted, RepeatChildrenRead, DashboardLinkCreated, DashboardLinksRevoked,
    };
}

/// <summary>Who acted: an API key and its organisation, or the hub itself (a timer function) or the command line.</summary>
public sealed record AuditActor(string KeyId, string OrganisationId)
{
    public static AuditActor Of(Caller caller) => new(caller.KeyId, caller.OrganisationId);

    /// <summary>The hub acting on its own, in function <paramref name="function"/>.</summary>
    public static AuditActor Hub(string function) => new("function:" + function, "notifyhub");

    /// <summary>Whoever holds the email link of a notification sent to <paramref name="recipientId"/>.</summary>
    public static AuditActor Link(string recipientId) => new("email-link", recipientId);

    /// <summary>Whoever holds an evidence export's timeline link (issued by an audited export).</summary>
    public static readonly AuditActor EvidenceLink = new("evidence-link", "notifyhub");

    /// <summary>An operator at the command line (the bootstrap of the first administrator key).</summary>
    public static readonly AuditActor CommandLine = new("command-line", "notifyhub");
}

/// <summary>One audit record as the API answers it. <see cref="Details"/> holds counts and ids only, never personal data.</summary>
public sealed record AuditEntry(string Id, DateTimeOffset At, string Action, AuditActor Actor, IReadOnlyList<string> Targets,
    IReadOnlyDictionary<string, JsonElement> Details);

public sealed record AuditPage(IReadOnlyList<AuditEntry> Items, string? ContinuationToken);

/// <summary>What to read: a time window (from inclusive, to exclusive), an actor (key id or organisation id) and an action, each optional.</summary>
public sealed record AuditQuery(DateTimeOffset? From, DateTimeOffset? To, string? Actor, string? Action);

/// <summary>
/// The append-only audit trail: table <c>Audit</c>, partition = the UTC day counted down (<c>99999999 - yyyyMMdd</c>),
/// row = the instant counted down plus a random suffix, so a plain scan reads newest first. Records are only ever
/// added (an add fails rather than overwrite); nothing in the hub updates or deletes them, and retention leaves them.
/// </summary>
public sealed class AuditTrail(TableServiceClient tables, TimeProvider time, ILogger<AuditTrail> logger)
{
    private TableClient Table => tables.GetTableClient(StorageNames.AuditTable);

    public async Task RecordAsync(AuditActor actor, string action, IEnumerable<string> targets, object? details, CancellationToken cancellationToken)
    {
        if (!AuditActions.All.Contains(action)) throw new ArgumentException($"Unknown audit action {action}.", nameof(action));
        var at = time.GetUtcNow();
        var entity = new TableEntity(Partition(at), Row(at))
        {
            ["At"] = at,
            ["Action"] = action,
            ["ActorKeyId"] = actor.KeyId,
            ["ActorOrganisation"] = actor.OrganisationId,
            ["Targets"] = JsonSerializer.Serialize(targets.ToArray()),
            ["Details"] = JsonSerializer.Serialize(details ?? new { }, JsonSerializerOptions.Web),
        };
        await Table.AddEntityAsync(entity, cancellationToken);
    }

    /// <summary>
    /// Records an act that is already stored, with its own record, on an incident's ledger (an acknowledgement: its
    /// <c>delivery.acknowledged</c> event). A failure here is logged, and the act still answered as done: a caller told
    /// "failed" after its change was stored would be told wrong.
    /// </summary>
    public async Task RecordStoredAsync(AuditActor actor, string action, IEnumerable<string> targets, object? details)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await RecordAsync(actor, action, targets, details, timeout.Token);
        }
        catch (Exception e) when (e is Azure.RequestFailedException or OperationCanceledException or HttpRequestException)
        {
            AuditLog.NotRecorded(logger, e, action);
        }
    }

    public async Task<AuditPage> QueryAsync(AuditQuery query, string? tableToken, int pageSize, CancellationToken cancellationToken)
    {
        var clauses = new List<string>();
        if (query.To is { } to) clauses.Add(TableClient.CreateQueryFilter($"PartitionKey ge {Partition(to)} and At lt {to}"));
        if (query.From is { } from) clauses.Add(TableClient.CreateQueryFilter($"PartitionKey le {Partition(from)} and At ge {from}"));
        if (query.Action is { } action) clauses.Add(TableClient.CreateQueryFilter($"Action eq {action}"));
        if (query.Actor is { } actor) clauses.Add(TableClient.CreateQueryFilter($"(ActorKeyId eq {actor} or ActorOrganisation eq {actor})"));
        var filter = clauses.Count == 0 ? null : string.Join(" and ", clauses);
        await foreach (var page in Table.QueryAsync<TableEntity>(filter, pageSize, cancellationToken: cancellationToken).AsPages(tableToken, pageSize))
            return new AuditPage(page.Values.Select(Entry).ToList(), ContinuationToken.Encode(page.ContinuationToken));
        return new AuditPage([], null);
    }

    private static AuditEntry Entry(TableEntity e) => new(
        e.PartitionKey + "." + e.RowKey,
        e.GetDateTimeOffset("At")!.Value,
        e.GetString("Action"),
        new AuditActor(e.GetString("ActorKeyId"), e.GetString("ActorOrganisation")),
        JsonSerializer.Deserialize<string[]>(e.GetString("Targets") ?? "[]") ?? [],
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(e.GetString("Details") ?? "{}") ?? []);

    private static string Partition(DateTimeOffset at) =>
        (99999999 - int.Parse(at.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)).ToString("D8", CultureInfo.InvariantCulture);

    private static string Row(DateTimeOffset at) =>
        (DateTime.MaxValue.Ticks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
}

internal static partial class AuditLog
{
    [LoggerMessage(EventId = 8001, Level = LogLevel.Error, Message = "The audit entry {Action} could not be written; the act itself is stored on its ledger")]
    public static partial void NotRecorded(ILogger logger, Exception exception, string action);
}
