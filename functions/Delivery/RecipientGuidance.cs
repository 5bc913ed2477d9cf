using T = NotifyHub.Domain.Directory.OrganisationTypes;

namespace NotifyHub.Delivery;

/// <summary>
/// What a notification asks of each kind of recipient, in words for the person reading it, and for schools and
/// early-years settings the Operation Encompass guidance for the key adult (research-domain.md §1: quiet support on
/// the day, the notification not raised with parents, shared with other staff only where they need to know). Data, not
/// logic: the notification page shows it as it is.
/// </summary>
public static class RecipientGuidance
{
    /// <param name="Ask">What the recipient is asked to do, as one sentence ending before "by {due time}".</param>
    /// <param name="Do">What to do on the day (schools and settings only).</param>
    /// <param name="DoNot">What not to do (schools and settings only).</param>
    public sealed record Guidance(string Ask, IReadOnlyList<string> Do, IReadOnlyList<string> DoNot);

    private static readonly string[] KeyAdultDo =
    [
        "Make sure the key adult (usually the designated safeguarding lead) has read this before the school day starts.",
        "Be ready to give the child quiet support during the day: notice how they are, and make a trusted adult and a safe space available.",
        "Tell other staff only what they need to know to support the child.",
        "Record the notification and what you did in the child's safeguarding record, as your school's policy says.",
        "If you are worried about the child's safety, follow your safeguarding procedures and contact children's social care or the police contact below.",
    ];

    private static readonly string[] KeyAdultDoNot =
    [
        "Do not raise the incident with the child's parents or carers: it could put the child or an adult at risk.",
        "Do not question the child about the incident. Listen if they choose to talk.",
        "Do not forward this notification or copy it into emails.",
    ];

    public static Guidance For(string recipientType) => recipientType switch
    {
        T.School => new("Read this and make sure the key adult can support the child at school", KeyAdultDo, KeyAdultDoNot),
        T.EarlyYearsSetting => new("Read this and make sure the key person can support the child at your setting",
            [.. KeyAdultDo.Select(line => line.Replace("school day", "day", StringComparison.Ordinal).Replace("school's", "setting's", StringComparison.Ordinal))], KeyAdultDoNot),
        T.HealthVisitingTeam => new("Check your records for these children and decide whether to offer a contact or visit", [], []),
        T.SchoolNursingTeam => new("Check your records for these children and decide whether they need support from the school nursing team", [], []),
        T.MidwiferyTeam => new("Check your records for the pregnancy and decide whether to review the care plan or offer a contact", [], []),
        T.NpsSpoc or T.CrcSpoc => new("Tell the case manager and review the supervised person's risk assessment and plan, thinking of the children linked to them", [], []),
        T.YosTeam => new("Tell the young person's case worker and review their risk assessment and plan", [], []),
        T.Mash => new("Screen this incident and decide what should happen next for the children", [], []),
        T.MaracCoordinator => new("Consider this high-risk incident for the next MARAC", [], []),
        T.LaEducationSafeguardingTeam => new("Find the school or setting for these children, or confirm their elective home education, so that they are supported", [], []),
        _ => new("Read this notification and act on it as your organisation's safeguarding procedures say", [], []),
    };
}
