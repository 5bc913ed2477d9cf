using NotifyHub.Domain.Decisions;
using NotifyHub.Domain.Validation;

namespace NotifyHub.Tests.Decisions;

/// <summary>The MASH's decision as its page's form sends it: read into the API's JSON and judged by the API's own rules.</summary>
public sealed class DecisionFormTests
{
    private static readonly DateTimeOffset Now = new(2026, 7, 1, 14, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Received = Now.AddDays(-1);

    private static Validated<DecisionRequest> Submit(params (string Field, string Value)[] fields) =>
        DecisionForm.Validate(Read(fields), body => DecisionInput.Validate(body, 2, Received, Now));

    private static DecisionFormEntry Read((string Field, string Value)[] fields) =>
        DecisionForm.Read(name => [.. fields.Where(f => f.Field == name).Select(f => f.Value)]);

    private static (string, string)[] Decided(string day, string month, string year, string hour, string minute) =>
        [("decided-day", day), ("decided-month", month), ("decided-year", year), ("decided-hour", hour), ("decided-minute", minute)];

    private static readonly (string, string)[] Good =
        [("outcome", "early-help"), .. Decided("1", "7", "2026", "10", "05"), ("joint", "no"), ("rationale", "Synthetic rationale.")];

    private static IDictionary<string, string[]> Errors(Validated<DecisionRequest> result)
    {
        Assert.False(result.IsValid);
        return result.Errors.ToDictionary();
    }

    [Fact]
    public void A_form_filled_in_as_the_page_asks_is_the_decision_the_API_would_read_in_UK_time_with_blank_step_rows_left_out()
    {
        var read = Submit([
            ("outcome", "strategy-discussion"), ("children", "1"), .. Decided("1", "7", "2026", "14", "30"), ("joint", "yes"), ("jointWith", "police"),
            ("jointWith", "health"), ("rationale", "Line one.\r\nLine two."),
            ("step-1-owner", " "), ("step-1-action", ""), ("step-2-owner", "school-999001"), ("step-2-action", "Offer a trusted adult"),
            ("step-2-due-day", "3"), ("step-2-due-month", "07"), ("step-2-due-year", "2026")]);

        Assert.True(read.IsValid, string.Join("; ", read.Errors.ToDictionary().Select(e => e.Key + " " + string.Join(",", e.Value))));
        var decision = read.Value!;
        Assert.Equal("strategy-discussion", decision.Outcome);
        Assert.Equal([1], decision.Children);
        // 14:30 in July is British Summer Time: 13:30 UTC.
        Assert.Equal(new DateTimeOffset(2026, 7, 1, 13, 30, 0, TimeSpan.Zero), decision.DecidedAt);
        Assert.True(decision.Joint);
        Assert.Equal(["police", "health"], decision.JointWith);
        Assert.Equal("Line one.\nLine two.", decision.Rationale);
        var step = Assert.Single(decision.NextSteps);
        Assert.Equal(new NextStep("school-999001", "Offer a trusted adult", new DateOnly(2026, 7, 3)), step);
    }

    [Fact]
    public void A_winter_time_is_read_as_Greenwich_Mean_Time()
    {
        var read = DecisionForm.Validate(Read([("outcome", "early-help"), .. Decided("25", "11", "2026", "09", "00"), ("joint", "no"), ("rationale", "r")]),
            body => DecisionInput.Validate(body, 2, new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero), read.Value!.DecidedAt);
    }

    [Theory]
    [InlineData("31", "2", "2026", "10", "00", "must be a real date and time (24-hour clock)")]
    [InlineData("1", "7", "26", "10", "00", "must be a real date and time (24-hour clock)")]
    [InlineData("1", "7", "2026", "25", "00", "must be a real date and time (24-hour clock)")]
    [InlineData("1", "July", "2026", "10", "00", "must be a real date and time (24-hour clock)")]
    [InlineData("1", "", "2026", "10", "00", "must include a month")]
    [InlineData("1", "7", "2026", "", "", "must include an hour and minute")]
    [InlineData("1", "7", "2026", "15", "30", "must not be in the future")]
    [InlineData("1", "6", "2026", "10", "00", "must not be before the MASH received the incident")]
    [InlineData("1", "7", "0001", "10", "00", "must be between 1900-01-01 and 2199-12-31")]
    public void A_time_that_is_not_a_real_one_or_not_allowed_is_named_with_its_one_reason(string day, string month, string year, string hour, string minute, string reason)
    {
        var errors = Errors(Submit([("outcome", "early-help"), .. Decided(day, month, year, hour, minute), ("joint", "no"), ("rationale", "r")]));
        Assert.Equal([reason], errors["decidedAt"]);
        Assert.Single(errors);
    }

    [Fact]
    public void A_form_left_empty_names_each_required_field()
    {
        var errors = Errors(Submit());
        Assert.Equal(["decidedAt", "joint", "outcome", "rationale"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.All(errors.Values, reasons => Assert.Equal(["is required"], reasons));
    }

    [Fact]
    public void Unknown_choices_and_text_too_long_are_refused_by_the_APIs_rules()
    {
        var errors = Errors(Submit([("outcome", "lock-them-up"), ("children", "7"), ("children", "x"), .. Decided("1", "7", "2026", "10", "00"),
            ("joint", "maybe"), ("rationale", new string('r', DecisionInput.MaxRationale + 1)), ("step-1-owner", "no spaces please"),
            ("step-1-action", new string('a', DecisionInput.MaxAction + 1)), ("step-1-due-day", "2"), ("step-1-due-month", "7"), ("step-1-due-year", "2026")]));
        Assert.Contains("outcome", errors.Keys);
        Assert.Contains("children[0]", errors.Keys);
        Assert.Contains("children[1]", errors.Keys);
        Assert.Equal(["must be true or false"], errors["joint"]);
        Assert.Equal(["must be at most 4000 characters"], errors["rationale"]);
        Assert.Contains("nextSteps[0].owner", errors.Keys);
        Assert.Contains("nextSteps[0].action", errors.Keys);
    }

    [Fact]
    public void A_rationale_of_the_most_characters_counts_each_line_break_once_as_the_page_does()
    {
        var rationale = string.Join("\r\n", Enumerable.Repeat("abc", 1000));
        Assert.True(rationale.Length > DecisionInput.MaxRationale);
        var read = Submit([.. Good.Where(f => f.Item1 != "rationale"), ("rationale", rationale)]);
        Assert.True(read.IsValid);
        Assert.Equal(3999, read.Value!.Rationale.Length);
    }

    [Fact]
    public void A_field_sent_twice_is_named_as_such_rather_than_as_missing_and_nothing_is_read()
    {
        var errors = Errors(Submit([.. Good, ("outcome", "no-further-action"), ("step-3-owner", "a"), ("step-3-owner", "b")]));
        Assert.Equal(["was sent more than once: choose or enter one"], errors["outcome"]);
        // The third row is the only step, so it is the first in the request.
        Assert.Equal(["was sent more than once: choose or enter one"], errors["nextSteps[0].owner"]);
        Assert.Contains("nextSteps[0].action", errors.Keys);
    }

    [Fact]
    public void Agencies_ticked_for_a_decision_not_made_jointly_are_a_mistake_the_APIs_rules_name()
    {
        var errors = Errors(Submit([.. Good, ("jointWith", "police")]));
        Assert.Equal(["must be left out when the decision was not made jointly"], errors["jointWith"]);
        Assert.Single(errors);
    }

    [Fact]
    public void A_next_step_partly_filled_in_names_what_it_lacks_and_a_bad_due_date_says_why()
    {
        var errors = Errors(Submit([.. Good, ("step-1-owner", "school-999001"), ("step-2-action", "Call"), ("step-2-due-day", "30"),
            ("step-2-due-month", "2"), ("step-2-due-year", "2026")]));
        Assert.Equal(["is required"], errors["nextSteps[0].action"]);
        Assert.Equal(["is required"], errors["nextSteps[0].dueOn"]);
        Assert.Equal(["is required"], errors["nextSteps[1].owner"]);
        Assert.Equal(["must be a real date"], errors["nextSteps[1].dueOn"]);
    }
}
