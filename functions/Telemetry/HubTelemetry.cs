using System.Diagnostics;
using System.Diagnostics.Metrics;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Timeliness;

namespace NotifyHub.Telemetry;

/// <summary>
/// The hub's own spans and metrics, under one name ("NotifyHub"). Their attributes carry ids and codes only —
/// incident and notification ids, force and recipient-type codes, outcomes — never a name, a date of birth, an
/// address or incident text; a test scans everything exported in a full run to hold that.
/// </summary>
public static class HubTelemetry
{
    public const string Name = "NotifyHub";

    public static readonly ActivitySource Source = new(Name);

    /// <summary>
    /// The W3C <c>traceparent</c> of the span now running, when the hub's telemetry is on and the span is recorded;
    /// carried in queue messages so that one trace follows an incident from its POST to each delivery.
    /// </summary>
    public static string? CurrentTraceParent() =>
        Source.HasListeners() && Activity.Current is { IdFormat: ActivityIdFormat.W3C, Recorded: true } current ? current.Id : null;

    /// <summary>The parent a queue message names, or null when it names none or something that is not a W3C traceparent.</summary>
    public static ActivityContext? ParentFrom(string? traceParent) =>
        traceParent is { Length: 55 } && ActivityContext.TryParse(traceParent, null, isRemote: true, out var context) ? context : null;
}

/// <summary>
/// The hub's counters. Each counts an event once, where it happens: an incident accepted or routed, a delivery
/// ending (delivered, failed) or acknowledged, a share found late or missing, a message poisoned.
/// </summary>
public sealed class HubMetrics
{
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _routed;
    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _late;
    private readonly Counter<long> _missing;
    private readonly Counter<long> _poison;

    public HubMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(HubTelemetry.Name);
        _accepted = meter.CreateCounter<long>("notifyhub.incidents.accepted", "{incident}", "Incidents accepted from police forces (not counting identical retries).");
        _routed = meter.CreateCounter<long>("notifyhub.incidents.routed", "{incident}", "Incidents routed: their deliveries recorded and queued.");
        _deliveries = meter.CreateCounter<long>("notifyhub.deliveries", "{delivery}", "Deliveries by outcome: delivered, failed (every channel exhausted), acknowledged.");
        _late = meter.CreateCounter<long>("notifyhub.shares.late", "{share}", "Shares found late: not acknowledged by their due time.");
        _missing = meter.CreateCounter<long>("notifyhub.shares.missing", "{share}", "Shares found missing: unrouted, failed, or missing at source (listed in a force's manifest, never received).");
        _poison = meter.CreateCounter<long>("notifyhub.messages.poison", "{message}", "Queue messages given up on: unreadable, or failed on the host's last attempt (moved to -poison).");
    }

    public void IncidentAccepted(string forceCode) => _accepted.Add(1, new KeyValuePair<string, object?>("notifyhub.force_code", forceCode));

    public void IncidentRouted(string forceCode, int unrouted)
    {
        _routed.Add(1, new KeyValuePair<string, object?>("notifyhub.force_code", forceCode));
        if (unrouted > 0) SharesMissing(ShareKinds.Unrouted, unrouted);
    }

    /// <summary>A delivery reached <paramref name="outcome"/> (delivered, failed or acknowledged).</summary>
    public void Delivery(string outcome, string recipientType, string? channel)
    {
        _deliveries.Add(1, new("notifyhub.outcome", outcome), new("notifyhub.recipient_type", recipientType), new("notifyhub.channel", channel ?? "none"));
        if (outcome == DeliveryStatus.Failed) SharesMissing(DeliveryStatus.Failed, 1);
    }

    public void ShareLate(string recipientType) => _late.Add(1, new KeyValuePair<string, object?>("notifyhub.recipient_type", recipientType));

    /// <summary><paramref name="count"/> shares found missing, of a kind the missing-shares report names (unrouted, failed, missing-at-source).</summary>
    public void SharesMissing(string kind, int count)
    {
        if (count > 0) _missing.Add(count, new KeyValuePair<string, object?>("notifyhub.missing_kind", kind));
    }

    /// <summary>A message of <paramref name="function"/>'s queue given up on, and why (<c>unreadable</c>, <c>max-dequeue-count</c>).</summary>
    public void Poisoned(string function, string reason) =>
        _poison.Add(1, new KeyValuePair<string, object?>("faas.name", function), new("notifyhub.reason", reason));
}
