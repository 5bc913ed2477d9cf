using NodaTime;
using NotifyHub.Domain.Timeliness;

namespace NotifyHub.Tests.Timeliness;

public class DeadlineRuleTests
{
    public static TheoryData<string, DeadlineRule> Canonical => new()
    {
        { "next-school-day 08:30", DeadlineRule.NextSchoolDay(new LocalTime(8, 30)) },
        { "next-school-day 08:45", DeadlineRule.NextSchoolDay(new LocalTime(8, 45)) },
        { "next-school-day", DeadlineRule.NextSchoolDay() },
        { "next-working-day 12:00", DeadlineRule.NextWorkingDay(new LocalTime(12, 0)) },
        { "next-working-day 17:00", DeadlineRule.NextWorkingDay(new LocalTime(17, 0)) },
        { "elapsed 1h", DeadlineRule.ElapsedAfter(Duration.FromHours(1)) },
        { "elapsed 24h", DeadlineRule.ElapsedAfter(Duration.FromHours(24)) },
        { "elapsed 90m", DeadlineRule.ElapsedAfter(Duration.FromMinutes(90)) },
        { "working-days 1", DeadlineRule.AfterWorkingDays(1) },
        { "working-days 3", DeadlineRule.AfterWorkingDays(3) },
        { "working-days 1 17:00", DeadlineRule.AfterWorkingDays(1, new LocalTime(17, 0)) },
        { "working-days 2 16:30", DeadlineRule.AfterWorkingDays(2, new LocalTime(16, 30)) },
    };

    [Theory]
    [MemberData(nameof(Canonical))]
    public void The_compact_text_form_parses_to_the_rule_and_formats_back_to_the_same_text(string text, DeadlineRule expected)
    {
        Assert.True(DeadlineRule.TryParse(text, out var rule, out var error), error);
        Assert.Null(error);
        Assert.Equal(expected, rule);
        Assert.Equal(text, rule!.ToString());
    }

    [Theory]
    [InlineData("  NEXT-WORKING-DAY   12:00 ", "next-working-day 12:00")]
    [InlineData("Elapsed 1H", "elapsed 1h")]
    [InlineData("elapsed 120m", "elapsed 2h")]
    [InlineData("elapsed 60m", "elapsed 1h")]
    [InlineData("working-days 01", "working-days 1")]
    [InlineData(" Working-Days  02   09:00 ", "working-days 2 09:00")]
    public void Loosely_written_rules_are_read_and_written_back_in_the_one_canonical_form(string text, string canonical)
    {
        Assert.True(DeadlineRule.TryParse(text, out var rule, out var error), error);
        Assert.Equal(canonical, rule!.ToString());
        Assert.True(DeadlineRule.TryParse(canonical, out var again, out _));
        Assert.Equal(rule, again);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("soon")]
    [InlineData("next-school-day 8:30")]
    [InlineData("next-school-day 24:00")]
    [InlineData("next-school-day 08:30 please")]
    [InlineData("next-working-day")]
    [InlineData("next-working-day noon")]
    [InlineData("next-working-day 12:60")]
    [InlineData("next-working-day 12:00:00")]
    [InlineData("elapsed")]
    [InlineData("elapsed 1")]
    [InlineData("elapsed 1d")]
    [InlineData("elapsed 1.5h")]
    [InlineData("elapsed -1h")]
    [InlineData("elapsed 0h")]
    [InlineData("elapsed 745h")]
    [InlineData("elapsed 1h30m")]
    [InlineData("working-days")]
    [InlineData("working-days 0")]
    [InlineData("working-days -1")]
    [InlineData("working-days 61")]
    [InlineData("working-days one")]
    [InlineData("working-days 1 5pm")]
    [InlineData("working-days 1 17")]
    [InlineData("working-days 1 24:00")]
    [InlineData("working-days 1 17:00 sharp")]
    [InlineData("working-days 17:00")]
    [InlineData("elapsed 1h 17:00")]
    [InlineData("next-working-day 12:00 17:00")]
    public void A_malformed_rule_is_refused_with_a_reason(string text)
    {
        Assert.False(DeadlineRule.TryParse(text, out var rule, out var error));
        Assert.Null(rule);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void An_unknown_kind_is_named_in_the_error()
    {
        DeadlineRule.TryParse("next-tuesday 09:00", out _, out var error);
        Assert.Contains("next-tuesday", error);
    }

    [Fact]
    public void The_longest_elapsed_rule_is_thirty_one_days()
    {
        Assert.True(DeadlineRule.TryParse("elapsed 744h", out var rule, out _));
        Assert.Equal(Duration.FromDays(31), rule!.After);
    }

    [Fact]
    public void A_working_days_rule_without_a_time_ends_at_the_default_end_of_the_working_day()
    {
        Assert.True(DeadlineRule.TryParse("working-days 1", out var rule, out _));
        Assert.Null(rule!.At);
        Assert.Equal(new LocalTime(17, 0), DeadlineRule.DefaultWorkingDayEnd);
    }
}
