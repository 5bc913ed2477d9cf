using Azure;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Ledger;
using NotifyHub.Domain.Routing;

namespace NotifyHub.Ledger;

/// <summary>What to read of an incident's ledger besides its head, checkpoint and deliveries.</summary>
[Flags]
public enum LedgerParts
{
    None = 0,
    /// <summary>The recipients' projected content (personal data; only what a send or a page needs).</summary>
    Content = 1,
    /// <summary>The attempt records (the attempt log, with what receivers answered).</summary>
    Attempts = 2,
    /// <summary>The shares that could not be routed.</summary>
    Unrouted = 4,
    /// <summary>The MASH's decisions, every version.</summary>
    Decisions = 8,
    /// <summary>The strategy discussions (with what invitees sent and the minutes' text: personal data).</summary>
    Strategy = 16,
}

/// <summary>One attempt as its record keeps it: the attempt's result, and which delivery it belongs to.</summary>
public sealed record AttemptEntry(string RecipientId, AttemptResult Attempt, string Outcome, string? ErrorClass);

/// <summary>
/// An incident's ledger as read (or as just committed): the stream's version and its ETag (every commit is conditional on
/// it), how far its views have been brought (the checkpoint), the incident's facts, and the deliveries' current state.
/// Immutable: a commit answers a new one.
/// </summary>
public sealed record IncidentLedger(
    string IncidentId, long Version, ETag HeadETag, long Applied, ETag AppliedETag, IncidentFacts? Facts,
    IReadOnlyDictionary<string, DeliveryRecord> Deliveries)
{
    /// <summary>Content read (only for the recipients asked for), by recipient id.</summary>
    public IReadOnlyDictionary<string, byte[]> Content { get; init; } = new Dictionary<string, byte[]>(StringComparer.Ordinal);

    /// <summary>Attempt records read (with <see cref="LedgerParts.Attempts"/>).</summary>
    public IReadOnlyList<AttemptEntry> Attempts { get; init; } = [];

    /// <summary>Unrouted shares read (with <see cref="LedgerParts.Unrouted"/>).</summary>
    public IReadOnlyList<UnroutedShare> Unrouted { get; init; } = [];

    /// <summary>The MASH's decisions read (with <see cref="LedgerParts.Decisions"/>), oldest version first.</summary>
    public IReadOnlyList<Domain.Decisions.MashDecision> Decisions { get; init; } = [];

    /// <summary>The strategy discussions read (with <see cref="LedgerParts.Strategy"/>), by number.</summary>
    public IReadOnlyList<Domain.Strategy.StrategyDiscussion> Discussions { get; init; } = [];

    /// <summary>The hash of the stream's last event (the head of its evidence chain); null before the first commit, or for a stream begun before the chain was.</summary>
    public string? ChainHash { get; init; }

    /// <summary>Whether anything has been committed for the incident.</summary>
    public bool Exists => HeadETag != default;

    /// <summary>Events committed that its views have not all taken yet (a crash after a commit, or an apply under way).</summary>
    public bool Lagging => Applied < Version;

    public DeliveryRecord? Delivery(string recipientId) => Deliveries.GetValueOrDefault(recipientId);

    public static IncidentLedger Empty(string incidentId) =>
        new(incidentId, 0, default, 0, default, null, new Dictionary<string, DeliveryRecord>(StringComparer.Ordinal));
}

/// <summary>
/// One commit to an incident's ledger: the deliveries' new states with the events that record each change, and what goes
/// with them — content added or removed, attempt records, unrouted shares, the incident's facts (first routing only).
/// Everything here is written in one entity-group transaction with the stream's head (or, past the 100-operation limit of
/// a transaction, in several, each whole delivery in one).
/// </summary>
public sealed class LedgerWrite
{
    public IncidentFacts? Facts { get; set; }
    public List<DeliveryRecord> Deliveries { get; } = [];
    public List<LedgerEvent> Events { get; } = [];
    public Dictionary<string, byte[]> AddContent { get; } = new(StringComparer.Ordinal);
    public HashSet<string> RemoveContent { get; } = new(StringComparer.Ordinal);
    public List<(string RecipientId, AttemptResult Attempt)> Attempts { get; } = [];
    /// <summary>Attempt records whose receiver responses and SMTP replies are to go (the retention purge).</summary>
    public List<AttemptEntry> ClearAttemptResponses { get; } = [];
    public List<UnroutedShare> Unrouted { get; } = [];
    /// <summary>Decision versions to store: new ones, or one whose free text the retention purge has cleared.</summary>
    public List<Domain.Decisions.MashDecision> Decisions { get; } = [];
    /// <summary>Strategy discussions to store as they now are (each change goes with the events that record it).</summary>
    public List<Domain.Strategy.StrategyDiscussion> Discussions { get; } = [];

    public bool IsEmpty => Facts is null && Deliveries.Count == 0 && Events.Count == 0 && AddContent.Count == 0 && RemoveContent.Count == 0
        && Attempts.Count == 0 && ClearAttemptResponses.Count == 0 && Unrouted.Count == 0 && Decisions.Count == 0 && Discussions.Count == 0;

    /// <summary>Takes a decision about one delivery: its new state and its events (nothing when it changed nothing).</summary>
    public LedgerWrite Add(Decision decision)
    {
        if (!decision.Changed) return this;
        Deliveries.RemoveAll(d => d.RecipientId == decision.Record.RecipientId);
        Deliveries.Add(decision.Record);
        Events.AddRange(decision.Events);
        return this;
    }
}

/// <summary>What a commit did: the ledger before (as read) and after, and the events it appended, numbered.</summary>
public sealed record Committed(IncidentLedger Before, IncidentLedger After, IReadOnlyList<StoredEvent> Events);
