namespace NotifyHub.Domain.Delivery;

/// <summary>
/// What a notification is about. An incident is shared with each recipient; a MASH's decision about it is shared back
/// with every agency involved; a next step is sent to its owner; a challenge to the MASH; the MASH's response to a
/// challenge to every recipient of the decision. Every kind goes through the same machinery — channels, receipts,
/// acknowledgement, due times, lateness and escalation (docs/decisions.md).
/// </summary>
public static class DeliveryKinds
{
    /// <summary>An incident shared with a recipient (routing).</summary>
    public const string Incident = "incident";

    /// <summary>The MASH's decision, due from it: acknowledged when it records one; late and escalated when it does not in time.</summary>
    public const string DecisionDue = "decision-due";

    /// <summary>A version of the MASH's decision, shared with an agency involved.</summary>
    public const string Decision = "decision";

    /// <summary>A next step of a decision, sent to its owner; acknowledging it marks it done.</summary>
    public const string NextStep = "next-step";

    /// <summary>A challenge to a decision, sent to the MASH; its response acknowledges it.</summary>
    public const string Challenge = "challenge";

    /// <summary>The MASH's response to a challenge, shared with the challenger and every recipient of the decision.</summary>
    public const string ChallengeResponse = "challenge-response";

    /// <summary>A strategy discussion due to be held by its chair: met when the chair records it held (docs/strategy-discussions.md).</summary>
    public const string StrategyDue = "strategy-due";

    /// <summary>An invitation to a strategy discussion; its answer acknowledges it.</summary>
    public const string Invitation = "invitation";

    /// <summary>The minutes of a strategy discussion, shared with every invitee.</summary>
    public const string Minutes = "minutes";

    /// <summary>An action agreed at a strategy discussion, sent to its owner; acknowledging it marks it done.</summary>
    public const string Action = "action";

    /// <summary>A share held at the LA front door, sent to its relay (the MASH or the education safeguarding team) to review and release or withhold (docs/routing.md).</summary>
    public const string RelayReview = "relay-review";

    public static readonly IReadOnlyList<string> All =
        [Incident, DecisionDue, Decision, NextStep, Challenge, ChallengeResponse, StrategyDue, Invitation, Minutes, Action, RelayReview];
}

/// <summary>
/// The key of a delivery within its incident: the organisation's directory id for the incident's share, and
/// <c>{organisation}~{what}</c> for the rest — <c>due</c> (the decision due from a MASH), <c>d{version}</c> (a decision
/// version), <c>n{version}-{step}</c> (a next step, its index from 1), <c>c{n}</c> (challenge n, to the MASH) and
/// <c>r{n}</c> (the response to challenge n); for strategy discussion n, <c>s{n}</c> (due from its chair), <c>i{n}</c> (an
/// invitation), <c>m{n}</c> (its minutes) and <c>a{n}-{k}</c> (action k); <c>v{n}</c> the front door's review n of a held share. Ids, numbers and codes only: never personal data.
/// </summary>
public static class DeliveryKey
{
    public const char Separator = '~';

    public static string DecisionDue(string mashId) => $"{mashId}{Separator}due";
    public static string Decision(string organisationId, int version) => $"{organisationId}{Separator}d{version}";
    public static string NextStep(string organisationId, int version, int step) => $"{organisationId}{Separator}n{version}-{step}";
    public static string Challenge(string mashId, int challenge) => $"{mashId}{Separator}c{challenge}";
    public static string ChallengeResponse(string organisationId, int challenge) => $"{organisationId}{Separator}r{challenge}";
    public static string StrategyDue(string chairId, int discussion) => $"{chairId}{Separator}s{discussion}";
    public static string Invitation(string organisationId, int discussion) => $"{organisationId}{Separator}i{discussion}";
    public static string Minutes(string organisationId, int discussion) => $"{organisationId}{Separator}m{discussion}";
    public static string Action(string organisationId, int discussion, int action) => $"{organisationId}{Separator}a{discussion}-{action}";
    public static string RelayReview(string relayId, int review) => $"{relayId}{Separator}v{review}";

    /// <summary>The organisation a delivery is addressed to.</summary>
    public static string OrganisationOf(string key)
    {
        var at = key.IndexOf(Separator);
        return at < 0 ? key : key[..at];
    }

    /// <summary>What the delivery is (<see cref="DeliveryKinds"/>); null for a key of no known form.</summary>
    public static string? KindOf(string key)
    {
        var at = key.IndexOf(Separator);
        if (at < 0) return DeliveryKinds.Incident;
        var what = key[(at + 1)..];
        if (what == "due") return DeliveryKinds.DecisionDue;
        if (what.Length < 2 || !what[1..].All(c => char.IsAsciiDigit(c) || c == '-')) return null;
        return what[0] switch
        {
            'd' when Number(what[1..]) is not null => DeliveryKinds.Decision,
            'n' when what[1..].Split('-') is [var v, var s] && Number(v) is not null && Number(s) is not null => DeliveryKinds.NextStep,
            'a' when what[1..].Split('-') is [var n, var k] && Number(n) is not null && Number(k) is not null => DeliveryKinds.Action,
            'c' when Number(what[1..]) is not null => DeliveryKinds.Challenge,
            'r' when Number(what[1..]) is not null => DeliveryKinds.ChallengeResponse,
            's' when Number(what[1..]) is not null => DeliveryKinds.StrategyDue,
            'i' when Number(what[1..]) is not null => DeliveryKinds.Invitation,
            'm' when Number(what[1..]) is not null => DeliveryKinds.Minutes,
            'v' when Number(what[1..]) is not null => DeliveryKinds.RelayReview,
            _ => null,
        };
    }

    /// <summary>The number a key carries: the decision version (<c>d</c>, <c>n</c>), the challenge's (<c>c</c>, <c>r</c>) or the strategy discussion's (<c>s</c>, <c>i</c>, <c>m</c>, <c>a</c>).</summary>
    public static int? NumberOf(string key)
    {
        var at = key.IndexOf(Separator);
        if (at < 0 || key.Length < at + 3) return null;
        var what = key[(at + 2)..];
        var dash = what.IndexOf('-');
        return Number(dash < 0 ? what : what[..dash]);
    }

    /// <summary>A next step's or an action's index (from 1), for its key.</summary>
    public static int? StepOf(string key) =>
        KindOf(key) is DeliveryKinds.NextStep or DeliveryKinds.Action ? Number(key[(key.LastIndexOf('-') + 1)..]) : null;

    private static int? Number(string digits) =>
        digits.Length is > 0 and <= 6 && digits.All(char.IsAsciiDigit) && digits[0] != '0' && int.TryParse(digits, out var n) ? n : null;
}
