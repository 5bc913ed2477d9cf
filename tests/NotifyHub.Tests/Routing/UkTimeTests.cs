using System.Globalization;
using NotifyHub.Domain;

namespace NotifyHub.Tests.Routing;

public class UkTimeTests
{
    [Theory]
    [InlineData("2026-07-01T23:30:00Z", "2026-07-02")] // BST: already the next day in England
    [InlineData("2026-12-01T23:30:00Z", "2026-12-01")] // GMT: still the same day
    [InlineData("2026-03-29T00:30:00Z", "2026-03-29")] // the night the clocks go forward
    [InlineData("2026-10-24T23:30:00Z", "2026-10-25")] // the night before the clocks go back
    public void The_local_date_of_an_instant_follows_british_summer_time(string instant, string expected) =>
        Assert.Equal(DateOnly.Parse(expected, CultureInfo.InvariantCulture), UkTime.DateOf(At(instant)));

    [Theory]
    [InlineData("2026-11-24T21:40:00Z", "Tuesday 24 November 2026 at 9:40pm")] // GMT: UTC is the local time
    [InlineData("2026-07-01T08:05:00Z", "Wednesday 1 July 2026 at 9:05am")] // BST: an hour ahead; minutes keep two digits
    [InlineData("2026-07-01T08:00:00Z", "Wednesday 1 July 2026 at 9am")] // on the hour: no ":00"
    [InlineData("2026-11-24T21:40:59Z", "Tuesday 24 November 2026 at 9:40pm")] // to the minute
    [InlineData("2026-11-24T12:00:00Z", "Tuesday 24 November 2026 at midday")]
    [InlineData("2026-07-01T11:00:00Z", "Wednesday 1 July 2026 at midday")]
    [InlineData("2026-11-24T12:05:00Z", "Tuesday 24 November 2026 at 12:05pm")]
    [InlineData("2026-11-24T00:30:00Z", "Tuesday 24 November 2026 at 12:30am")]
    [InlineData("2026-12-31T23:59:00Z", "Thursday 31 December 2026 at 11:59pm")]
    public void A_time_is_written_the_GOV_UK_way_in_UK_time(string instant, string expected) =>
        Assert.Equal(expected, UkTime.Describe(At(instant)));

    [Theory]
    [InlineData("2026-11-24T00:00:00Z", "Monday 23 November 2026 at midnight")] // GMT
    [InlineData("2026-07-01T23:00:00Z", "Wednesday 1 July 2026 at midnight")] // BST: 23:00 UTC is midnight
    [InlineData("2027-01-01T00:00:00Z", "Thursday 31 December 2026 at midnight")] // the end of the year, not the start of the next
    public void Midnight_is_the_end_of_the_day_before_so_that_a_deadline_is_not_read_a_day_late(string instant, string expected) =>
        Assert.Equal(expected, UkTime.Describe(At(instant)));

    [Theory]
    [InlineData("2026-03-29T00:59:00Z", "Sunday 29 March 2026 at 12:59am")] // the last minute of GMT
    [InlineData("2026-03-29T01:00:00Z", "Sunday 29 March 2026 at 2am")] // 1am to 2am never happens
    [InlineData("2026-10-25T00:30:00Z", "Sunday 25 October 2026 at 1:30am BST")] // the first 1:30am
    [InlineData("2026-10-25T01:30:00Z", "Sunday 25 October 2026 at 1:30am GMT")] // the second
    [InlineData("2026-10-25T02:00:00Z", "Sunday 25 October 2026 at 2am")]
    public void On_the_days_the_clocks_change_the_time_is_the_one_on_the_wall_and_the_hour_lived_twice_says_which(string instant, string expected) =>
        Assert.Equal(expected, UkTime.Describe(At(instant)));

    [Fact]
    public void A_date_is_written_with_the_day_of_the_week_and_the_month_in_full() =>
        Assert.Equal("Tuesday 24 November 2026", UkTime.DescribeDate(new DateOnly(2026, 11, 24)));

    private static DateTimeOffset At(string instant) => DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture);
}
