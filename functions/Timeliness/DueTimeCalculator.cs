using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Extensions;
using NotifyHub.Domain.Delivery;
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

    /// <summary>When something sent to <paramref name="recipient"/> at <paramref name="from"/> is due by <paramref name="rule"/>, over the recipient's calendar.</summary>
    public async Task<DueInfo> ByRuleAsync(Organisation recipient, DeadlineRule rule, DateTimeOffset from, CancellationToken ct)
    {
        var calendar = await calendars.ForAsync(recipient, ct);
        var due = DueTimes.Compute(rule, from.ToInstant(), calendar);
        return new DueInfo(due.At.ToDateTimeOffset(), due.Rule.ToString(), due.Guessed);
    }
}
