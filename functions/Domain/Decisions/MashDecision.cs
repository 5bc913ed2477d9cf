using System.Text.Json.Serialization;

namespace NotifyHub.Domain.Decisions;

/// <summary>
/// What a MASH decided about an incident (issue 19, docs/decisions.md): the outcome, for which children, when, whether
/// jointly and with whom, why, and what happens next. A change is a new version; every version is kept and the latest stands.
/// </summary>
/// <param name="DecisionId">The id the recording request chose (<c>dec_…</c>): a retried request finds it and adds nothing.</param>
/// <param name="Children">The incident's children (indexes) it is about; empty: the whole incident.</param>
/// <param name="Rationale">Why (free text: may name people, so it is purged with the incident's other personal data).</param>
/// <param name="RecordedBy">The MASH organisation that recorded it, and the API key it used.</param>
public sealed record MashDecision(
    string DecisionId, int Version, string Outcome, IReadOnlyList<int> Children, DateTimeOffset DecidedAt, bool Joint,
    IReadOnlyList<string> JointWith, string? Rationale, IReadOnlyList<NextStep> NextSteps, string RecordedBy, string RecordedByKey,
    DateTimeOffset RecordedAt, DateTimeOffset? RationalePurgedAt = null);

/// <param name="Owner">The organisation that owns the step (a directory id).</param>
/// <param name="Action">What is to be done (free text, purged with the rationale).</param>
public sealed record NextStep(string Owner, string? Action, DateOnly DueOn);

/// <summary>The outcomes a MASH may record: a fixed vocabulary, so that reports can count them.</summary>
public static class DecisionOutcomes
{
    public const string NoFurtherAction = "no-further-action";
    public const string InformationAndAdvice = "information-and-advice";
    public const string EarlyHelp = "early-help";
    public const string ChildAndFamilyAssessment = "child-and-family-assessment";
    public const string StrategyDiscussion = "strategy-discussion";
    public const string AlreadyOpen = "already-open";
    public const string MaracReferral = "marac-referral";
    public const string PoliceActionOnly = "police-action-only";

    /// <summary>Each outcome, with what it means in words (docs/decisions.md says the same).</summary>
    public static readonly IReadOnlyList<(string Code, string Meaning)> All =
    [
        (NoFurtherAction, "No further action"),
        (InformationAndAdvice, "Information and advice given"),
        (EarlyHelp, "Early help offered"),
        (ChildAndFamilyAssessment, "Child and family assessment (Children Act 1989, section 17)"),
        (StrategyDiscussion, "Strategy discussion (Children Act 1989, section 47)"),
        (AlreadyOpen, "Already open to children's social care: the allocated worker has been informed"),
        (MaracReferral, "MARAC referral made"),
        (PoliceActionOnly, "Police action only"),
    ];

    public static bool IsKnown(string code) => All.Any(o => o.Code == code);
}

/// <summary>The agencies a decision may have been made jointly with.</summary>
public static class DecisionAgencies
{
    public static readonly IReadOnlyList<string> All =
        ["police", "childrens-social-care", "health", "education", "probation", "youth-offending", "other"];

    /// <summary>An agency in words, as a page shows it.</summary>
    public static string Words(string code) => code switch
    {
        "police" => "Police",
        "childrens-social-care" => "Children's social care",
        "health" => "Health",
        "education" => "Education",
        "probation" => "Probation",
        "youth-offending" => "Youth offending service",
        "other" => "Another agency",
        _ => code,
    };
}

/// <summary>A decision as the API shows it to those who may read its content (the MASH, the submitting force).</summary>
public sealed record DecisionView(
    string DecisionId, string IncidentId, int Version, bool Latest, string Outcome, IReadOnlyList<int> Children, DateTimeOffset DecidedAt,
    bool Joint, IReadOnlyList<string> JointWith, string? Rationale, IReadOnlyList<NextStepView> NextSteps, string RecordedBy, DateTimeOffset RecordedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? RationalePurgedAt)
{
    public static DecisionView Of(string incidentId, MashDecision d, int latest) =>
        new(d.DecisionId, incidentId, d.Version, d.Version == latest, d.Outcome, d.Children, d.DecidedAt, d.Joint, d.JointWith, d.Rationale,
            [.. d.NextSteps.Select(s => new NextStepView(s.Owner, s.Action, s.DueOn))], d.RecordedBy, d.RecordedAt, d.RationalePurgedAt);
}

public sealed record NextStepView(string Owner, string? Action, DateOnly DueOn);
