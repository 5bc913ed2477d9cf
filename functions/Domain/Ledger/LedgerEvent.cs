using System.Globalization;
using System.Text;
using System.Text.Json;

namespace NotifyHub.Domain.Ledger;

/// <summary>The kinds of change an incident's ledger records. Names are <c>subject.verb</c>, past tense.</summary>
public static class LedgerEventTypes
{
    public const string DeliveryRouted = "delivery.routed";
    public const string ShareUnrouted = "share.unrouted";
    public const string AttemptStarted = "attempt.started";
    public const string AttemptEnded = "attempt.ended";
    public const string ChannelChanged = "delivery.channel-changed";
    public const string Delivered = "delivery.delivered";
    public const string Opened = "delivery.opened";
    public const string Acknowledged = "delivery.acknowledged";
    public const string Failed = "delivery.failed";
    public const string MarkedLate = "delivery.marked-late";
    public const string EscalationStarted = "escalation.started";
    public const string ReminderSent = "escalation.reminder-sent";
    public const string AlertSent = "escalation.alert-sent";
    public const string LinksRevoked = "delivery.links-revoked";
    public const string ContentPurged = "delivery.content-purged";
    public const string MessageRequeued = "delivery.message-requeued";
    /// <summary>The MASH recorded a decision (a new version); incident-wide, so it has no subject.</summary>
    public const string DecisionRecorded = "decision.recorded";
    /// <summary>The retention purge cleared a decision version's free text (rationale, next steps' actions).</summary>
    public const string DecisionTextPurged = "decision.text-purged";
    /// <summary>An agency challenged a decision version (subject: the challenge's delivery to the MASH).</summary>
    public const string ChallengeRaised = "challenge.raised";
    /// <summary>The MASH answered a challenge: upheld (with the new version) or not upheld.</summary>
    public const string ChallengeAnswered = "challenge.answered";
    /// <summary>A decision of strategy-discussion opened a strategy discussion (subject: what is due from its chair).</summary>
    public const string StrategyOpened = "strategy.opened";
    public const string StrategyScheduled = "strategy.scheduled";
    public const string StrategyInviteesChanged = "strategy.invitees-changed";
    /// <summary>An invitee answered its invitation (subject: the invitation).</summary>
    public const string StrategyAnswered = "strategy.answered";
    /// <summary>An invitee sent information for the discussion (its length, never its text).</summary>
    public const string StrategyInformationSent = "strategy.information-sent";
    public const string StrategyHeld = "strategy.held";
    public const string StrategyMinutesShared = "strategy.minutes-shared";
    /// <summary>The retention purge cleared a discussion's free text (what invitees sent, the minutes, the actions).</summary>
    public const string StrategyTextPurged = "strategy.text-purged";

    /// <summary>A share went to the LA front door instead of its recipient (subject: the share): held for its relay's review.</summary>
    public const string ShareHeld = "share.held";
    /// <summary>The front door released a held share to its recipient — reviewed, or on its own when the review was late (subject: the share).</summary>
    public const string ShareReleased = "share.released";
    /// <summary>The front door withheld a held share, with a reason (subject: the share); it is never sent.</summary>
    public const string ShareWithheld = "share.withheld";

    /// <summary>A front-door review was not done by its time and the hub sent its share on, as the area chose (subject: the review).</summary>
    public const string ReviewLapsed = "review.lapsed";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        ShareHeld, ShareReleased, ShareWithheld, ReviewLapsed,
        DeliveryRouted, ShareUnrouted, AttemptStarted, AttemptEnded, ChannelChanged, Delivered, Opened, Acknowledged, Failed, MarkedLate,
        EscalationStarted, ReminderSent, AlertSent, LinksRevoked, ContentPurged, MessageRequeued, DecisionRecorded, DecisionTextPurged,
        ChallengeRaised, ChallengeAnswered, StrategyOpened, StrategyScheduled, StrategyInviteesChanged, StrategyAnswered, StrategyInformationSent,
        StrategyHeld, StrategyMinutesShared, StrategyTextPurged,
    };
}

/// <summary>
/// One change to an incident's record, as its ledger keeps it for good: what happened (<see cref="Type"/>), when, to
/// which delivery or share (<see cref="Subject"/>: a recipient id, or a share key), and its particulars — ids, codes,
/// numbers and times only, never a name, a date of birth, an address or what happened. Events are never changed.
/// </summary>
/// <param name="Data">The particulars: values are strings, whole numbers, booleans or instants (written as UTC, <c>o</c> format).</param>
public sealed record LedgerEvent(string Type, DateTimeOffset At, string? Subject, IReadOnlyDictionary<string, object?> Data)
{
    public static LedgerEvent Of(string type, DateTimeOffset at, string? subject, params (string Key, object? Value)[] data) =>
        new(type, at, subject, data.Where(d => d.Value is not null).ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal));

    public string? String(string key) => Data.TryGetValue(key, out var v) ? v switch { null => null, string s => s, _ => Convert.ToString(v, CultureInfo.InvariantCulture) } : null;

    public long? Number(string key) => Data.TryGetValue(key, out var v) ? v switch
    {
        int i => i,
        long l => l,
        string s when long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    } : null;

    public DateTimeOffset? Instant(string key) => Data.TryGetValue(key, out var v) ? v switch
    {
        DateTimeOffset d => d,
        string s when DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed) => parsed,
        _ => null,
    } : null;

    public bool? Flag(string key) => Data.TryGetValue(key, out var v) && v is bool b ? b : null;

    /// <summary>
    /// The particulars in their canonical form: a JSON object with keys in ordinal order, no white space, instants as UTC
    /// in round-trip (<c>o</c>) format, numbers as integers. The same event always has the same bytes.
    /// </summary>
    public string DataJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            foreach (var (key, value) in Data.OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                w.WritePropertyName(key);
                switch (value)
                {
                    case null: w.WriteNullValue(); break;
                    case string s: w.WriteStringValue(s); break;
                    case bool b: w.WriteBooleanValue(b); break;
                    case int i: w.WriteNumberValue(i); break;
                    case long l: w.WriteNumberValue(l); break;
                    case DateTimeOffset d: w.WriteStringValue(Canonical(d)); break;
                    default: throw new ArgumentException($"Event {Type}: '{key}' is a {value.GetType().Name}; events hold strings, whole numbers, booleans and instants.");
                }
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Reads particulars written by <see cref="DataJson"/>: instants come back as strings and are read with <see cref="Instant"/>.</summary>
    public static IReadOnlyDictionary<string, object?> ReadData(string? json)
    {
        var data = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(json)) return data;
        using var document = JsonDocument.Parse(json);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            data[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Number => property.Value.GetInt64(),
                _ => null,
            };
        }
        return data;
    }

    public static string Canonical(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}

/// <summary>An event as its ledger holds it: numbered in its incident's stream from 1, in the order committed.</summary>
public sealed record StoredEvent(long Version, LedgerEvent Event)
{
    /// <summary>Its hash in the incident's chain (docs/evidence.md), as stored with it; null for an event stored before the chain began.</summary>
    public string? Hash { get; init; }
}
