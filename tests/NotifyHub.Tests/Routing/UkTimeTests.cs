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
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            UkTime.DateOf(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture)));
}
