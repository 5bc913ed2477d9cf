using System.Text.Json;
using System.Text.Json.Serialization;

namespace NotifyHub.Domain.Strategy;

/// <summary>How a strategy discussion meets.</summary>
public static class MeetingModes
{
    public const string InPerson = "in-person";
    public const string Phone = "phone";
    public const string Video = "video";
    public static readonly IReadOnlyList<(string Code, string Words)> All = [(InPerson, "In person"), (Phone, "By phone"), (Video, "By video call")];
}

/// <summary>What an invitee answers.</summary>
public static class InvitationAnswers
{
    public const string Attending = "attending";
    public const string SendingInformation = "sending-information";
    public const string CannotAttend = "cannot-attend";
    public static readonly IReadOnlyList<(string Code, string Words)> All =
        [(Attending, "Attending"), (SendingInformation, "Cannot attend, sending information"), (CannotAttend, "Cannot attend")];
}

/// <summary>What a strategy discussion concluded (Working Together to Safeguard Children).</summary>
public static class StrategyOutcomes
{
    public static readonly IReadOnlyList<(string Code, string Words)> All =
    [
        ("section-47-enquiry", "Section 47 enquiry"),
        ("initial-child-protection-conference", "Initial child protection conference"),
        ("child-and-family-assessment", "Child and family assessment (section 17)"),
        ("early-help", "Early help"),
        ("no-further-action", "No further action"),
    ];

    public static bool IsKnown(string code) => All.Any(o => o.Code == code);
}

/// <summary>Why an organisation is invited: it received the incident, it is the force, it is a probation SPOC for the LA, it is a child's GP practice, or the chair added it.</summary>
public static class InviteReasons
{
    public const string Received = "received";
    public const string Force = "force";
    public const string Probation = "probation";
    public const string GpPractice = "gp-practice";
    public const string Added = "added";
}

/// <param name="Why">One of <see cref="InviteReasons"/>.</param>
/// <param name="Removed">The chair took it off the list: it is sent nothing more, and reads nothing more.</param>
public sealed record Invitee(string OrganisationId, string Type, string Name, string Why, bool Removed = false);

/// <summary>When and how it meets; the joining details (a dial-in, a video link, a room) are for the invitees only.</summary>
public sealed record Meeting(DateTimeOffset At, string How, string? JoiningDetails);

/// <summary>What an invitee knows, sent before the meeting (free text: personal data, purged with the incident's).</summary>
public sealed record Contribution(string OrganisationId, string? Text, DateTimeOffset At);

/// <param name="Owner">The organisation that owns it (a directory id).</param>
/// <param name="Action">What is to be done (free text, purged).</param>
public sealed record StrategyAction(string Owner, string? Action, DateOnly DueOn);

/// <summary>That it was held: when, which invited organisations attended, the outcome and the actions agreed.</summary>
public sealed record HeldRecord(DateTimeOffset HeldAt, IReadOnlyList<string> Attended, string Outcome, IReadOnlyList<StrategyAction> Actions, DateTimeOffset RecordedAt);

/// <summary>The minutes: text, or a PDF kept in blob storage (<paramref name="Blob"/>: its name, ids only).</summary>
public sealed record MinutesRecord(string? Text, string? Blob, long? PdfBytes, DateTimeOffset SharedAt);

/// <summary>
/// A strategy discussion (issue 20, docs/strategy-discussions.md): opened by a MASH's decision of <c>strategy-discussion</c>, due to be
/// held by <see cref="HeldBy"/>; the chair schedules it and invites the agencies, the invitees answer and send what they
/// know, the chair records it held, and its minutes go to every invitee. One writer: the incident's ledger, where it is
/// one row beside its events.
/// </summary>
/// <param name="Number">Its number within the incident (from 1).</param>
/// <param name="DecisionVersion">The decision version that opened it.</param>
/// <param name="Chair">The organisation that chairs it (the MASH that decided).</param>
public sealed record StrategyDiscussion(
    int Number, int DecisionVersion, string Chair, DateTimeOffset OpenedAt, DateTimeOffset HeldBy, Meeting? Meeting, IReadOnlyList<Invitee> Invitees,
    IReadOnlyList<Contribution> Contributions, HeldRecord? Held, MinutesRecord? Minutes, DateTimeOffset? TextPurgedAt = null)
{
    public IEnumerable<Invitee> Current => Invitees.Where(i => !i.Removed);

    public bool IsInvited(string organisationId) => Current.Any(i => i.OrganisationId == organisationId);

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, StrategyJson.Default.StrategyDiscussion);

    public static StrategyDiscussion? Read(byte[] json) => JsonSerializer.Deserialize(json, StrategyJson.Default.StrategyDiscussion);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StrategyDiscussion))]
internal sealed partial class StrategyJson : JsonSerializerContext;
