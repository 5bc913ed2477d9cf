using NodaTime;
using NotifyHub.Domain.Directory;

namespace NotifyHub.Domain.Timeliness;

/// <summary>One configured rule: applies to RecipientType, optionally only for one OrganisationId and/or one RiskLevel ("standard"|"medium"|"high").</summary>
public sealed record PolicyEntry(string RecipientType, DeadlineRule Deadline, string? OrganisationId = null, string? RiskLevel = null);

/// <summary>
/// Which deadline applies to a share: the domain's defaults (domain.md "Timeliness") with configured entries layered
/// on top. An entry replaces an earlier one with the same recipient type, organisation and risk level. A working-days
/// rule without a time of its own is given the configured end of the working day here, so the rule a due time records
/// says exactly when it fell due even after the setting changes.
/// </summary>
public sealed class TimelinessPolicy
{
    public static readonly IReadOnlySet<string> RiskLevels = new SortedSet<string>(StringComparer.Ordinal) { "standard", "medium", "high" };

    /// <summary>What a recipient type nobody configured gets: the end of the next working day, the most common deadline.</summary>
    public static readonly DeadlineRule Fallback = DeadlineRule.NextWorkingDay(new LocalTime(17, 0));

    private static readonly LocalTime Noon = new(12, 0);
    private static readonly LocalTime EndOfDay = new(17, 0);

    private static readonly IReadOnlyList<PolicyEntry> DefaultEntries =
    [
        new(OrganisationTypes.School, DeadlineRule.NextSchoolDay(DeadlineRule.DefaultSchoolDayStart)),
        // domain.md gives early-years settings no deadline of their own; they are treated like the health teams
        // (0-5s, usually reached through the health visitor), not like schools, which have no term calendar for them.
        new(OrganisationTypes.EarlyYearsSetting, DeadlineRule.NextWorkingDay(Noon)),
        new(OrganisationTypes.HealthVisitingTeam, DeadlineRule.NextWorkingDay(Noon)),
        new(OrganisationTypes.SchoolNursingTeam, DeadlineRule.NextWorkingDay(Noon)),
        new(OrganisationTypes.MidwiferyTeam, DeadlineRule.NextWorkingDay(Noon)),
        // Routing sends GP practices no incident; whatever they are sent later (strategy-discussion invitations) that
        // sets no due time of its own is due like the other health recipients' shares.
        new(OrganisationTypes.GpPractice, DeadlineRule.NextWorkingDay(Noon)),
        new(OrganisationTypes.NpsSpoc, DeadlineRule.NextWorkingDay(EndOfDay)),
        new(OrganisationTypes.CrcSpoc, DeadlineRule.NextWorkingDay(EndOfDay)),
        new(OrganisationTypes.YosTeam, DeadlineRule.NextWorkingDay(EndOfDay)),
        // domain.md sets MASH deadlines for high (1 hour) and medium (24 hours) only. Standard-risk cases must be
        // screened too (action plan 2.3: all DA incidents within 24 hours), so 24 hours is the safe default.
        new(OrganisationTypes.Mash, DeadlineRule.ElapsedAfter(Duration.FromHours(24))),
        new(OrganisationTypes.Mash, DeadlineRule.ElapsedAfter(Duration.FromHours(24)), RiskLevel: "medium"),
        new(OrganisationTypes.Mash, DeadlineRule.ElapsedAfter(Duration.FromHours(1)), RiskLevel: "high"),
        new(OrganisationTypes.MaracCoordinator, DeadlineRule.AfterWorkingDays(1)),
        new(OrganisationTypes.LaEducationSafeguardingTeam, DeadlineRule.NextWorkingDay(EndOfDay)),
    ];

    private readonly Dictionary<(string Type, string? Organisation, string? Risk), PolicyEntry> _rules = [];

    private TimelinessPolicy(IEnumerable<PolicyEntry> entries, LocalTime workingDayEndsAt)
    {
        foreach (var given in entries)
        {
            ArgumentNullException.ThrowIfNull(given.Deadline);
            var entry = given.Deadline is { Kind: DeadlineKind.WorkingDays, At: null } ? given with { Deadline = given.Deadline with { At = workingDayEndsAt } } : given;
            ArgumentException.ThrowIfNullOrWhiteSpace(entry.RecipientType, nameof(entry.RecipientType));
            if (entry.RiskLevel is not null && !RiskLevels.Contains(entry.RiskLevel))
            {
                throw new ArgumentException($"Risk level \"{entry.RiskLevel}\" is not one of: {string.Join(", ", RiskLevels)}.", nameof(entries));
            }
            if (entry.OrganisationId is { Length: 0 }) throw new ArgumentException("An organisation id must not be empty; leave it null to mean every organisation.", nameof(entries));
            _rules.Remove((entry.RecipientType, entry.OrganisationId, entry.RiskLevel));
            _rules.Add((entry.RecipientType, entry.OrganisationId, entry.RiskLevel), entry);
        }
    }

    public static TimelinessPolicy Default { get; } = Create([]);

    /// <summary>
    /// The defaults with <paramref name="overrides"/> layered on top (a later entry for the same key wins); working-days
    /// rules without a time end at <paramref name="workingDayEndsAt"/> (default 17:00).
    /// </summary>
    public static TimelinessPolicy Create(IEnumerable<PolicyEntry> overrides, LocalTime? workingDayEndsAt = null) =>
        new(DefaultEntries.Concat(overrides), workingDayEndsAt ?? DeadlineRule.DefaultWorkingDayEnd);

    /// <summary>Every entry in force, defaults included, by type, organisation and risk level (for showing the policy).</summary>
    public IReadOnlyList<PolicyEntry> Entries =>
    [
        .. _rules.Values
            .OrderBy(e => e.RecipientType, StringComparer.Ordinal)
            .ThenBy(e => e.OrganisationId ?? "", StringComparer.Ordinal)
            .ThenBy(e => e.RiskLevel ?? "", StringComparer.Ordinal),
    ];

    /// <summary>Most specific wins: organisation+risk > organisation > type+risk > type. Unknown type → "next-working-day 17:00".</summary>
    public DeadlineRule RuleFor(string recipientType, string organisationId, string riskLevel)
    {
        if (_rules.TryGetValue((recipientType, organisationId, riskLevel), out var entry) ||
            _rules.TryGetValue((recipientType, organisationId, null), out entry) ||
            _rules.TryGetValue((recipientType, null, riskLevel), out entry) ||
            _rules.TryGetValue((recipientType, null, null), out entry))
        {
            return entry.Deadline;
        }
        return Fallback;
    }
}
