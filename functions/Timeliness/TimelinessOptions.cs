using System.ComponentModel.DataAnnotations;
using NotifyHub.Domain.Directory;
using NotifyHub.Domain.Timeliness;

namespace NotifyHub.Timeliness;

/// <summary>One configured due-time rule (<c>Timeliness__Rules__0__RecipientType</c>, <c>…__Deadline</c>, optional <c>…__OrganisationId</c>, <c>…__RiskLevel</c>).</summary>
public sealed class PolicyRuleOptions
{
    public string RecipientType { get; set; } = "";
    /// <summary>A deadline in its text form: <c>next-school-day 08:30</c>, <c>next-working-day 12:00</c>, <c>elapsed 1h</c>, <c>working-days 1</c>, <c>working-days 2 16:00</c>.</summary>
    public string Deadline { get; set; } = "";
    public string? OrganisationId { get; set; }
    public string? RiskLevel { get; set; }
}

/// <summary>Configuration section <c>Timeliness</c>: due-time policy, deadline-aware fallback and the partnership leads' links.</summary>
public sealed class TimelinessOptions : IValidatableObject
{
    public const string Section = "Timeliness";

    /// <summary>Overrides layered on the default policy (docs/timeliness.md); most specific wins.</summary>
    public List<PolicyRuleOptions> Rules { get; set; } = [];

    /// <summary>A delivery not yet delivered this long before its due time switches to its fallback channel rather than wait for its next retry.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan FallbackLead { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a dashboard link (in the daily digest, or made by a partnership lead) works.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "31.00:00:00")]
    public TimeSpan DashboardLinkValidFor { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long after the MASH received an incident its decision is due (docs/decisions.md): 24 hours by default.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "31.00:00:00")]
    public TimeSpan DecisionDueAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The same for a high-risk incident, when it differs (unset: <see cref="DecisionDueAfter"/>).</summary>
    [Range(typeof(TimeSpan), "00:05:00", "31.00:00:00")]
    public TimeSpan? DecisionDueAfterHighRisk { get; set; }

    /// <summary>When the decision on an incident the MASH received at <paramref name="receivedAt"/> is due.</summary>
    public DateTimeOffset DecisionDueAt(DateTimeOffset receivedAt, string? riskLevel) =>
        receivedAt + (riskLevel == "high" && DecisionDueAfterHighRisk is { } high ? high : DecisionDueAfter);

    /// <summary>
    /// When a MASH's decision shared with an agency, or its response to a challenge, is due to be acknowledged, from when it
    /// was recorded: a deadline in its text form (docs/decisions.md). Default: 12:00 on the next working day.
    /// </summary>
    public string DecisionShareDue { get; set; } = "next-working-day 12:00";

    /// <summary>When the MASH's response to a challenge is due, from when the challenge was raised. Default: the end of the second working day.</summary>
    public string ChallengeResponseDue { get; set; } = "working-days 2";

    /// <summary>By when a strategy discussion must be held, from the decision that opened it (docs/strategy-discussions.md): 3 working days by default...</summary>
    public string StrategyHeldWithin { get; set; } = "working-days 3";

    /// <summary>...and 1 working day for a high-risk incident.</summary>
    public string StrategyHeldWithinHighRisk { get; set; } = "working-days 1";

    /// <summary>When the minutes shared with an invitee are due to be acknowledged, from when they were shared: the end of the next working day.</summary>
    public string MinutesDue { get; set; } = "working-days 1";

    /// <summary>An invitation's answer is due this long before the meeting: unanswered then, its invitee is reminded.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan InvitationAnswerBefore { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// A share held at the LA front door is due to be released this long before the recipient's own due time (docs/routing.md):
    /// late at the relay then, escalated, and sent on automatically where the area so chose. 0 to 1 day.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RelayReleaseMargin { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The rule by which a strategy discussion of an incident of <paramref name="riskLevel"/> is to be held.</summary>
    public DeadlineRule StrategyHeldRule(string? riskLevel) => Rule(riskLevel == "high" ? StrategyHeldWithinHighRisk : StrategyHeldWithin);

    /// <summary>The rule of <see cref="MinutesDue"/>.</summary>
    public DeadlineRule MinutesRule => Rule(MinutesDue);

    /// <summary>The rule of <see cref="DecisionShareDue"/>.</summary>
    public DeadlineRule DecisionShareRule => Rule(DecisionShareDue);

    /// <summary>The rule of <see cref="ChallengeResponseDue"/>.</summary>
    public DeadlineRule ChallengeResponseRule => Rule(ChallengeResponseDue);

    private static DeadlineRule Rule(string text) =>
        DeadlineRule.TryParse(text, out var rule, out _) ? rule! : throw new InvalidOperationException($"'{text}' is not a deadline.");

    /// <summary>
    /// When a working day ends (HH:mm, Europe/London): a <c>working-days N</c> deadline without a time of its own falls
    /// due then on the Nth working day. A string, not a TimeSpan: it is a time of day, not a duration.
    /// </summary>
    public string WorkingDayEndsAt { get; set; } = "17:00";

    /// <summary>
    /// Health warns this long before the loaded bank holidays run out (whole days), in time to load the next GOV.UK file.
    /// At most two years: GOV.UK publishes about that far ahead, so a longer warning would never be off.
    /// </summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "731.00:00:00")]
    public TimeSpan BankHolidaysWarnAhead { get; set; } = TimeSpan.FromDays(60);

    private TimelinessPolicy? _policy;

    public TimelinessPolicy Policy => _policy ??= TimelinessPolicy.Create(Entries(out _),
        DeadlineRule.TryParseTime(WorkingDayEndsAt, out var endsAt, out _) ? endsAt : null);

    private List<PolicyEntry> Entries(out List<ValidationResult> errors)
    {
        errors = [];
        var entries = new List<PolicyEntry>();
        for (var i = 0; i < Rules.Count; i++)
        {
            var rule = Rules[i];
            var at = $"Timeliness:Rules:{i}";
            if (!OrganisationTypes.All.Contains(rule.RecipientType) || rule.RecipientType is OrganisationTypes.PoliceForce or OrganisationTypes.PartnershipLead)
                errors.Add(new ValidationResult($"{at}:RecipientType is '{rule.RecipientType}', which is not a recipient type."));
            if (rule.RiskLevel is { Length: > 0 } risk && risk is not ("standard" or "medium" or "high"))
                errors.Add(new ValidationResult($"{at}:RiskLevel is '{risk}'; use standard, medium or high."));
            if (!DeadlineRule.TryParse(rule.Deadline, out var deadline, out var error))
                errors.Add(new ValidationResult($"{at}:Deadline '{rule.Deadline}' is not a deadline: {error}"));
            else
                entries.Add(new PolicyEntry(rule.RecipientType, deadline!, string.IsNullOrEmpty(rule.OrganisationId) ? null : rule.OrganisationId,
                    string.IsNullOrEmpty(rule.RiskLevel) ? null : rule.RiskLevel));
        }
        return entries;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        Entries(out var errors);
        if (!DeadlineRule.TryParseTime(WorkingDayEndsAt, out _, out var error))
            errors.Add(new ValidationResult($"Timeliness:WorkingDayEndsAt '{WorkingDayEndsAt}' is not the end of a working day: {error}"));
        foreach (var (name, text) in new[]
        {
            ("DecisionShareDue", DecisionShareDue), ("ChallengeResponseDue", ChallengeResponseDue), ("StrategyHeldWithin", StrategyHeldWithin),
            ("StrategyHeldWithinHighRisk", StrategyHeldWithinHighRisk), ("MinutesDue", MinutesDue),
        })
        {
            if (!DeadlineRule.TryParse(text, out var rule, out var why))
                errors.Add(new ValidationResult($"Timeliness:{name} '{text}' is not a deadline: {why}"));
            else if (rule!.Kind == DeadlineKind.NextSchoolDayStart)
                errors.Add(new ValidationResult($"Timeliness:{name} '{text}' counts school days; use next-working-day, working-days or elapsed."));
        }
        return errors;
    }
}

public static class TimelinessRegistration
{
    public static IServiceCollection AddTimeliness(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TimelinessOptions>().Bind(configuration.GetSection(TimelinessOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CalendarStore>();
        services.AddSingleton<SlaStore>();
        services.AddSingleton<RollupStore>();
        services.AddSingleton<ManifestStore>();
        services.AddSingleton<DueTimeCalculator>();
        services.AddSingleton<ReportScope>();
        services.AddSingleton<PartnershipLeads>();
        services.AddSingleton<LatenessMonitor>();
        services.AddSingleton<CalendarCoverage>();
        services.AddSingleton<ReportReader>();
        services.AddSingleton<DashboardLinks>();
        services.AddSingleton<RepeatChildrenStore>();
        return services;
    }
}
