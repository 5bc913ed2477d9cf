using NodaTime;
using NotifyHub.Domain.Timeliness;
using static NotifyHub.Tests.Timeliness.TimelinessFixtures;

namespace NotifyHub.Tests.Timeliness;

/// <summary>What health says about the loaded bank holidays (issue 17): nobody should learn from a late share that they ran out.</summary>
public class BankHolidayHealthTests
{
    private static readonly (LocalDate, LocalDate) To2027 = (Date(2025, 1, 1), Date(2027, 12, 31));

    [Fact]
    public void With_no_bank_holidays_loaded_the_hub_is_degraded_and_says_how_to_load_them()
    {
        var health = BankHolidayHealth.Judge(null, Date(2026, 12, 6), warnDays: 60);
        Assert.True(health.Degraded);
        Assert.Null(health.CoveredUntil);
        Assert.Contains("No bank holidays are loaded", health.Warning, StringComparison.Ordinal);
        Assert.Contains("PUT /api/admin/calendars/bank-holidays", health.Warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Once_the_loaded_bank_holidays_have_ended_the_hub_is_degraded()
    {
        var health = BankHolidayHealth.Judge(To2027, Date(2028, 1, 1), warnDays: 60);
        Assert.True(health.Degraded);
        Assert.Equal(Date(2027, 12, 31), health.CoveredUntil);
        Assert.Contains("ended on 2027-12-31", health.Warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Bank_holidays_that_start_after_today_do_not_cover_today_and_the_hub_is_degraded()
    {
        var health = BankHolidayHealth.Judge((Date(2027, 1, 1), Date(2027, 12, 31)), Date(2026, 12, 6), warnDays: 60);
        Assert.True(health.Degraded);
        Assert.Contains("start on 2027-01-01", health.Warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2027, 12, 31, 0)]
    [InlineData(2027, 11, 2, 59)]
    public void Coverage_ending_within_the_warning_time_is_a_warning_but_not_degraded(int year, int month, int day, int daysLeft)
    {
        var health = BankHolidayHealth.Judge(To2027, Date(year, month, day), warnDays: 60);
        Assert.False(health.Degraded);
        Assert.Equal(Date(2027, 12, 31), health.CoveredUntil);
        Assert.Contains($"end on 2027-12-31, in {daysLeft} day", health.Warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2027, 11, 1)]
    [InlineData(2026, 12, 6)]
    [InlineData(2025, 1, 1)]
    public void Coverage_that_lasts_beyond_the_warning_time_is_neither_a_warning_nor_degraded(int year, int month, int day)
    {
        var health = BankHolidayHealth.Judge(To2027, Date(year, month, day), warnDays: 60);
        Assert.False(health.Degraded);
        Assert.Null(health.Warning);
        Assert.Equal(Date(2027, 12, 31), health.CoveredUntil);
    }
}
