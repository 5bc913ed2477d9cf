namespace NotifyHub.Domain.Routing;

/// <summary>
/// The age definitions routing uses. A child's age is their age in completed years on the
/// incident date, which is the Europe/London calendar date of <c>occurredAt</c> (a 23:30 UTC
/// incident in summer happens on the next local day). Someone born on 29 February becomes a year
/// older on 1 March in a non-leap year.
/// </summary>
public static class ChildAge
{
    /// <summary>From this age a child with a school URN is an Operation Encompass pupil (domain.md: 4–18; reception starts at 4).</summary>
    public const int SchoolFrom = 4;

    /// <summary>
    /// From this age a child with no school URN is counted as missing a school (compulsory school age
    /// begins the term after the fifth birthday; using the birthday errs towards telling the LA).
    /// A 4-year-old with no URN has simply not started reception and goes to health visiting.
    /// </summary>
    public const int ExpectedInSchoolFrom = 5;

    /// <summary>Below this age a child not in school belongs to health visiting; otherwise to school nursing.</summary>
    public const int HealthVisitingUnder = 5;

    public static DateOnly IncidentDate(DateTimeOffset occurredAt) => UkTime.DateOf(occurredAt);

    /// <summary>Completed years from <paramref name="dateOfBirth"/> to <paramref name="on"/>; 0 if born after it.</summary>
    public static int YearsOn(DateOnly dateOfBirth, DateOnly on)
    {
        if (on <= dateOfBirth) return 0;
        var years = on.Year - dateOfBirth.Year;
        var birthdayNotYetReached = on.Month < dateOfBirth.Month || (on.Month == dateOfBirth.Month && on.Day < dateOfBirth.Day);
        return birthdayNotYetReached ? years - 1 : years;
    }
}
