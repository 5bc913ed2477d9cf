using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Extensions;
using NotifyHub.Domain.Directory;
using NotifyHub.Domain.Timeliness;

namespace NotifyHub.Timeliness;

/// <summary>The due time of one delivery: the configured policy's rule for the recipient, over the calendar that applies to it.</summary>
public sealed class DueTimeCalculator(CalendarStore calendars, IOptions<TimelinessOptions> options)
{
    public async Task<DueTime> ForAsync(Organisation recipient, string recipientType, string riskLevel, DateTimeOffset reportedAt, CancellationToken ct)
    {
        var rule = options.Value.Policy.RuleFor(recipientType, recipient.Id, riskLevel);
        var calendar = await calendars.ForAsync(recipient, ct);
        var start = recipient.SchoolDayStart is { } s ? new LocalTime(s.Hour, s.Minute) : (LocalTime?)null;
        return DueTimes.Compute(rule, reportedAt.ToInstant(), calendar, start);
    }
}
