using System.Globalization;
using NodaTime;
using NotifyHub.Domain.Timeliness;
using static NotifyHub.Tests.Timeliness.TimelinessFixtures;
using Reference = NotifyHub.Tests.Timeliness.ReferenceDueTimes;

namespace NotifyHub.Tests.Timeliness;

/// <summary>
/// What must hold for every report time, checked against <see cref="ReferenceDueTimes"/> — an independent, naive reading
/// of domain.md that uses none of the hub's code (not even its working-day and school-day predicates, which an oracle
/// built on them could never catch out) — rather than against worked examples: every half hour of 2026 on the real
/// calendars, and thousands of generated reports, rules and calendars around clock changes, year ends and the edges of
/// what the loaded calendars cover.
/// </summary>
public class DueTimesPropertyTests
{
    private static IEnumerable<Instant> EveryHalfHourOf2026()
    {
        for (var t = Utc(2026, 1, 1, 0, 0); t < Utc(2027, 1, 1, 0, 0); t += Duration.FromMinutes(30)) yield return t;
    }

    private static Reference.Calendar ReferenceOf(WorkingCalendar calendar) => new(
        calendar.BankHolidays.Select(d => d.ToDateOnly()).ToHashSet(),
        calendar.Terms?.Select(t => (t.FirstDay.ToDateOnly(), t.LastDay.ToDateOnly())).ToList(),
        calendar.ClosedDays.Select(d => d.ToDateOnly()).ToHashSet());

    private static WorkingCalendar HubCalendarOf(Reference.Calendar calendar) => new(
        calendar.BankHolidays.Select(LocalDate.FromDateOnly).ToHashSet(),
        calendar.Terms?.Select((t, i) => new Term($"Term {i + 1}", LocalDate.FromDateOnly(t.First), LocalDate.FromDateOnly(t.Last))).ToList(),
        calendar.ClosedDays.Select(LocalDate.FromDateOnly).ToHashSet());

    /// <summary>The rule as the hub reads it from its text form, so the text form is exercised too.</summary>
    private static DeadlineRule Parse(string text) =>
        DeadlineRule.TryParse(text, out var rule, out var error) ? rule! : throw new InvalidOperationException($"\"{text}\" {error}");

    private static (DateTime DueUtc, bool Guessed) AssertAsTheReferenceSays(string text, Reference.Rule rule, Instant reported, WorkingCalendar hub,
        Reference.Calendar reference, TimeOnly? schoolStart = null, string? context = null)
    {
        var expected = Reference.Due(rule, reported.ToDateTimeUtc(), reference, schoolStart);
        var actual = DueTimes.Compute(Parse(text), reported, hub, schoolStart is { } s ? LocalTime.FromTimeOnly(s) : null);
        if (actual.At.ToDateTimeUtc() != expected.DueUtc || actual.Guessed != expected.Guessed)
        {
            Assert.Fail($"{text} reported {reported} (UK {Reference.LocalTime(reported.ToDateTimeUtc()):ddd yyyy-MM-dd HH:mm}){context}: " +
                $"the hub says {actual.At} guessed={actual.Guessed}, the reference {expected.DueUtc:yyyy-MM-ddTHH:mm}Z guessed={expected.Guessed}");
        }
        return expected;
    }

    public static TheoryData<string> RealCalendarRules => new()
    {
        "next-school-day 08:30", "next-school-day", "next-working-day 12:00", "next-working-day 17:00",
        "working-days 1", "working-days 3", "working-days 2 16:30", "elapsed 24h",
    };

    [Theory]
    [MemberData(nameof(RealCalendarRules))]
    public void Every_half_hour_of_2026_is_due_when_the_reference_says_on_the_real_calendars(string text)
    {
        var rule = ReferenceRuleOf(text);
        var (la840, noTerms) = (ReferenceOf(La840), ReferenceOf(NoTerms));
        foreach (var reported in EveryHalfHourOf2026())
        {
            AssertAsTheReferenceSays(text, rule, reported, La840, la840);
            AssertAsTheReferenceSays(text, rule, reported, NoTerms, noTerms, context: " without terms");
        }
    }

    [Fact]
    public void A_school_that_starts_at_quarter_to_nine_is_due_when_the_reference_says_every_half_hour_of_2026()
    {
        var la840 = ReferenceOf(La840);
        foreach (var reported in EveryHalfHourOf2026())
            AssertAsTheReferenceSays("next-school-day 08:30", new Reference.NextSchoolDay(new TimeOnly(8, 30)), reported, La840, la840, new TimeOnly(8, 45));
    }

    [Fact]
    public void Generated_reports_rules_and_calendars_are_due_when_the_reference_says()
    {
        // Fixed seeds: a failure names its case, and the same cases run every time.
        var seen = new Dictionary<(Type Rule, bool Guessed), int>();
        for (var seed = 0; seed < 10_000; seed++)
        {
            var random = new Random(seed);
            var year = random.Next(2019, 2033);
            var reported = GeneratedReport(random, year);
            var calendar = new Reference.Calendar(GeneratedBankHolidays(random, year), GeneratedTerms(random, year), GeneratedClosedDays(random, reported));
            var (text, rule) = GeneratedRule(random);
            TimeOnly? schoolStart = random.Next(3) == 0 ? TimeAt(random, 7 * 60, 10 * 60, step: 5) : null;
            var (_, guessed) = AssertAsTheReferenceSays(text, rule, Instant.FromDateTimeUtc(reported), HubCalendarOf(calendar), calendar, schoolStart,
                $" (seed {seed}: {Describe(calendar)}{(schoolStart is { } s ? $", school starts {Hm(s)}" : "")})");
            seen[(rule.GetType(), guessed)] = seen.GetValueOrDefault((rule.GetType(), guessed)) + 1;
        }
        // The cases must reach both answers of every rule that can guess, or the comparison proves little.
        foreach (var kind in new[] { typeof(Reference.NextSchoolDay), typeof(Reference.NextWorkingDay), typeof(Reference.WorkingDays) })
        {
            Assert.True(seen.GetValueOrDefault((kind, true)) >= 200, $"{kind.Name}: only {seen.GetValueOrDefault((kind, true))} guessed cases");
            Assert.True(seen.GetValueOrDefault((kind, false)) >= 200, $"{kind.Name}: only {seen.GetValueOrDefault((kind, false))} known cases");
        }
    }

    [Fact]
    public void The_references_clock_changes_are_the_published_ones()
    {
        // The published dates (as in the IANA tz database, checked by hand, not through NodaTime): 2026 forward Sun 29 Mar,
        // back Sun 25 Oct; 2030 forward Sun 31 Mar, back Sun 27 Oct; always at 01:00 UTC.
        Assert.False(Reference.IsSummerTime(new DateTime(2026, 3, 29, 0, 59, 0, DateTimeKind.Utc)));
        Assert.True(Reference.IsSummerTime(new DateTime(2026, 3, 29, 1, 0, 0, DateTimeKind.Utc)));
        Assert.True(Reference.IsSummerTime(new DateTime(2026, 10, 25, 0, 59, 0, DateTimeKind.Utc)));
        Assert.False(Reference.IsSummerTime(new DateTime(2026, 10, 25, 1, 0, 0, DateTimeKind.Utc)));
        Assert.True(Reference.IsSummerTime(new DateTime(2030, 3, 31, 1, 0, 0, DateTimeKind.Utc)));
        Assert.False(Reference.IsSummerTime(new DateTime(2030, 3, 30, 12, 0, 0, DateTimeKind.Utc)));
        Assert.False(Reference.IsSummerTime(new DateTime(2030, 10, 27, 1, 0, 0, DateTimeKind.Utc)));
        // 12:00 in summer is 11:00 UTC; 01:30 on the autumn morning is the first of the two; the skipped 01:30 in spring is 01:30 UTC.
        Assert.Equal(new DateTime(2026, 7, 1, 11, 0, 0), Reference.AtLocal(new DateOnly(2026, 7, 1), new TimeOnly(12, 0)));
        Assert.Equal(new DateTime(2026, 10, 25, 0, 30, 0), Reference.AtLocal(new DateOnly(2026, 10, 25), new TimeOnly(1, 30)));
        Assert.Equal(new DateTime(2026, 3, 29, 1, 30, 0), Reference.AtLocal(new DateOnly(2026, 3, 29), new TimeOnly(1, 30)));
    }

    [Fact]
    public void The_reference_marks_a_due_time_as_a_guess_only_when_an_unknown_day_could_change_it()
    {
        var only2026 = new Reference.Calendar(new HashSet<DateOnly> { new(2026, 8, 31) }, null, new HashSet<DateOnly>());
        var noon = new Reference.NextWorkingDay(new TimeOnly(12, 0));
        // Wed 30 Dec 2026 → Thu 31 Dec: known. Thu 31 Dec → Fri 1 Jan 2027: not known, a guess.
        Assert.Equal((new DateTime(2026, 12, 31, 12, 0, 0), false), Reference.Due(noon, new DateTime(2026, 12, 30, 10, 0, 0, DateTimeKind.Utc), only2026));
        Assert.Equal((new DateTime(2027, 1, 1, 12, 0, 0), true), Reference.Due(noon, new DateTime(2026, 12, 31, 10, 0, 0, DateTimeKind.Utc), only2026));
        // The known bank holiday is skipped: Fri 28 Aug → Tue 1 Sep 12:00 BST.
        Assert.Equal((new DateTime(2026, 9, 1, 11, 0, 0), false), Reference.Due(noon, new DateTime(2026, 8, 28, 10, 0, 0, DateTimeKind.Utc), only2026));
    }

    // The rules of the real-calendar sweep, written again for the reference.
    private static Reference.Rule ReferenceRuleOf(string text) => text.Split(' ') switch
    {
        ["next-school-day"] => new Reference.NextSchoolDay(null),
        ["next-school-day", var at] => new Reference.NextSchoolDay(TimeOnly.ParseExact(at, "HH:mm", CultureInfo.InvariantCulture)),
        ["next-working-day", var at] => new Reference.NextWorkingDay(TimeOnly.ParseExact(at, "HH:mm", CultureInfo.InvariantCulture)),
        ["working-days", var n] => new Reference.WorkingDays(int.Parse(n, CultureInfo.InvariantCulture), null),
        ["working-days", var n, var at] => new Reference.WorkingDays(int.Parse(n, CultureInfo.InvariantCulture), TimeOnly.ParseExact(at, "HH:mm", CultureInfo.InvariantCulture)),
        ["elapsed", var hours] when hours.EndsWith('h') => new Reference.Elapsed(TimeSpan.FromHours(int.Parse(hours[..^1], CultureInfo.InvariantCulture))),
        _ => throw new ArgumentOutOfRangeException(nameof(text), text, "not a rule of the sweep"),
    };

    // Generators. Reports are drawn where deadlines go wrong: clock changes, midnight, school starts and year ends (where
    // loaded bank holidays run out), as well as anywhere in the year.

    private static DateTime GeneratedReport(Random random, int year)
    {
        var start = new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var minute = random.Next(6) switch
        {
            0 => random.Next(365 * 24 * 60),
            1 => (int)(LastSundayOf(year, random.Next(2) == 0 ? 3 : 10) - start).TotalMinutes + random.Next(-3 * 24 * 60, 3 * 24 * 60),
            2 => random.Next(365) * 24 * 60 + random.Next(22 * 60, 26 * 60),
            3 => random.Next(365) * 24 * 60 + random.Next(6 * 60, 10 * 60),
            4 => 357 * 24 * 60 + random.Next(10 * 24 * 60),
            _ => random.Next(365) * 24 * 60 + random.Next(48) * 30,
        };
        return start.AddMinutes(minute);
    }

    private static DateTime LastSundayOf(int year, int month)
    {
        var day = new DateTime(year, month, DateTime.DaysInMonth(year, month), 0, 0, 0, DateTimeKind.Utc);
        return day.AddDays(-(int)day.DayOfWeek);
    }

    /// <summary>None, or a few whole years around the report's: some ending before it, some during, some after; runs of days like Christmas's.</summary>
    private static HashSet<DateOnly> GeneratedBankHolidays(Random random, int year)
    {
        var days = new HashSet<DateOnly>();
        if (random.Next(8) == 0) return days;
        var first = year - random.Next(3);
        var last = first + random.Next(4);
        for (var y = first; y <= last; y++)
        {
            for (var i = random.Next(1, 10); i > 0; i--) days.Add(new DateOnly(y, 1, 1).AddDays(random.Next(365)));
            if (random.Next(2) == 0) for (var d = 25; d <= 28; d++) days.Add(new DateOnly(y, 12, d));
        }
        return days;
    }

    /// <summary>No term calendar, or terms and holidays of random lengths, starting before the report and ending at random around it.</summary>
    private static List<(DateOnly, DateOnly)>? GeneratedTerms(Random random, int year)
    {
        if (random.Next(5) == 0) return null;
        var terms = new List<(DateOnly, DateOnly)>();
        var day = new DateOnly(year - 1, 1, 1).AddDays(random.Next(600));
        var end = new DateOnly(year, 1, 1).AddDays(random.Next(-100, 500));
        while (day <= end)
        {
            var last = day.AddDays(random.Next(0, 70));
            terms.Add((day, last));
            day = last.AddDays(random.Next(2, 50));
        }
        return terms;
    }

    private static HashSet<DateOnly> GeneratedClosedDays(Random random, DateTime reported)
    {
        var from = DateOnly.FromDateTime(reported).AddDays(-5);
        return Enumerable.Range(0, random.Next(6)).Select(_ => from.AddDays(random.Next(40))).ToHashSet();
    }

    private static (string Text, Reference.Rule Rule) GeneratedRule(Random random)
    {
        switch (random.Next(4))
        {
            case 0:
                if (random.Next(3) == 0) return ("next-school-day", new Reference.NextSchoolDay(null));
                var start = TimeAt(random, 7 * 60, 10 * 60, step: 5);
                return ($"next-school-day {Hm(start)}", new Reference.NextSchoolDay(start));
            case 1:
                var at = TimeAt(random, 0, 24 * 60, step: 1);
                return ($"next-working-day {Hm(at)}", new Reference.NextWorkingDay(at));
            case 2:
                var minutes = random.Next(1, 31 * 24 * 60 + 1);
                return ($"elapsed {(minutes % 60 == 0 ? $"{minutes / 60}h" : $"{minutes}m")}", new Reference.Elapsed(TimeSpan.FromMinutes(minutes)));
            default:
                var days = random.Next(4) == 0 ? random.Next(1, 61) : random.Next(1, 4);
                if (random.Next(2) == 0) return ($"working-days {days}", new Reference.WorkingDays(days, null));
                var end = TimeAt(random, 0, 24 * 60, step: 1);
                return ($"working-days {days} {Hm(end)}", new Reference.WorkingDays(days, end));
        }
    }

    private static string Hm(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    private static TimeOnly TimeAt(Random random, int fromMinute, int toMinute, int step) =>
        TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(random.Next(fromMinute / step, toMinute / step) * step));

    private static string Describe(Reference.Calendar calendar) =>
        $"bank holidays {(calendar.BankHolidays.Count == 0 ? "none" : $"{calendar.BankHolidays.Min(d => d.Year)}-{calendar.BankHolidays.Max(d => d.Year)}")}, " +
        $"terms {(calendar.Terms is null ? "none" : string.Join(" ", calendar.Terms.Select(t => $"{t.First:yyyy-MM-dd}..{t.Last:yyyy-MM-dd}")))}, " +
        $"closed {string.Join(" ", calendar.ClosedDays.Order().Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))}";

    [Theory]
    [InlineData(60)]
    [InlineData(1440)]
    [InlineData(90)]
    public void An_elapsed_deadline_is_always_exactly_that_long_after_the_report(int minutes)
    {
        var rule = DeadlineRule.ElapsedAfter(Duration.FromMinutes(minutes));
        foreach (var reported in EveryHalfHourOf2026())
        {
            Assert.Equal(Duration.FromMinutes(minutes), DueTimes.Compute(rule, reported, NoTerms).At - reported);
        }
    }

    [Fact]
    public void A_later_report_is_never_due_earlier_under_the_wall_clock_rules()
    {
        foreach (var rule in new[] { School, Noon, EndOfDay, DeadlineRule.AfterWorkingDays(1), DeadlineRule.AfterWorkingDays(3) })
        {
            Instant? previous = null;
            foreach (var reported in EveryHalfHourOf2026())
            {
                var due = DueTimes.Compute(rule, reported, La840).At;
                Assert.True(previous is null || due >= previous, $"{rule} at {reported}: {due} is before {previous}");
                previous = due;
            }
        }
    }

    [Fact]
    public void A_report_just_before_friday_midnight_and_one_just_after_are_both_due_at_the_end_of_monday()
    {
        // Until issue 17 a working day kept the time of day: Friday 23:30 was due Monday 23:30, Saturday 00:00 Monday 00:00.
        var rule = DeadlineRule.AfterWorkingDays(1);
        Assert.Equal(Utc(2026, 1, 5, 17, 0), DueTimes.Compute(rule, Uk(2026, 1, 2, 23, 30), NoTerms).At);
        Assert.Equal(Utc(2026, 1, 5, 17, 0), DueTimes.Compute(rule, Uk(2026, 1, 3, 0, 0), NoTerms).At);
    }

    [Fact]
    public void Every_instant_of_the_calendar_years_beyond_the_imported_terms_gets_a_guessed_school_deadline()
    {
        for (var reported = Uk(2027, 7, 22, 0, 0); reported < Utc(2028, 1, 1, 0, 0); reported += Duration.FromHours(7))
        {
            var due = DueTimes.Compute(School, reported, La840);
            Assert.True(due.Guessed);
            Assert.True(due.At >= reported);
        }
    }
}
