using System.Text;
using NotifyHub.Domain.Timeliness;
using NotifyHub.Domain.Validation;
using static NotifyHub.Tests.Timeliness.TimelinessFixtures;

namespace NotifyHub.Tests.Timeliness;

public class BankHolidaysFileTests
{
    private static IReadOnlyDictionary<string, string[]> ErrorsOf(string json)
    {
        Assert.Null(BankHolidaysFile.Parse(Utf8(json), out var errors));
        return errors.ToDictionary().AsReadOnly();
    }

    [Fact]
    public void The_govuk_file_gives_every_england_and_wales_bank_holiday_including_substitute_days()
    {
        var days = BankHolidaysFile.Parse(File.ReadAllBytes(DataPath("bank-holidays.json")), out var errors);
        Assert.False(errors.Any);
        Assert.Equal(24, days!.Count);
        Assert.Contains(Date(2026, 4, 3), days); // Good Friday
        Assert.Contains(Date(2026, 12, 28), days); // Boxing Day substitute
        Assert.Contains(Date(2027, 12, 27), days); // Christmas Day substitute
        Assert.Contains(Date(2027, 12, 28), days); // Boxing Day substitute
        Assert.DoesNotContain(Date(2027, 12, 25), days); // a Saturday: GOV.UK lists the substitute instead
    }

    [Fact]
    public void The_whole_govuk_file_is_accepted_and_only_england_and_wales_is_kept()
    {
        const string json = """
            {
              "england-and-wales": {"division": "england-and-wales", "events": [
                {"title": "New Year’s Day", "date": "2026-01-01", "notes": "", "bunting": true}]},
              "scotland": {"division": "scotland", "events": [
                {"title": "2nd January", "date": "2026-01-02", "notes": "", "bunting": true},
                {"title": "St Andrew’s Day", "date": "2026-11-30", "notes": "", "bunting": true}]},
              "northern-ireland": {"division": "northern-ireland", "events": [
                {"title": "St Patrick’s Day", "date": "2026-03-17", "notes": "", "bunting": true}]}
            }
            """;
        var days = BankHolidaysFile.Parse(Utf8(json), out var errors);
        Assert.False(errors.Any);
        Assert.Equal([Date(2026, 1, 1)], days!);
    }

    [Fact]
    public void A_date_listed_twice_is_fine()
    {
        var days = BankHolidaysFile.Parse(Utf8("""{"england-and-wales":{"events":[{"date":"2026-01-01"},{"date":"2026-01-01"}]}}"""), out var errors);
        Assert.False(errors.Any);
        Assert.Single(days!);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("{\"england-and-wales\":")]
    public void Text_that_is_not_json_is_refused_as_a_whole(string json) =>
        Assert.Equal(["$"], ErrorsOf(json).Keys);

    [Theory]
    [InlineData("[]")]
    [InlineData("\"england-and-wales\"")]
    [InlineData("null")]
    public void Json_that_is_not_an_object_is_refused_as_a_whole(string json) =>
        Assert.Equal(["$"], ErrorsOf(json).Keys);

    [Fact]
    public void A_file_without_england_and_wales_names_the_missing_division() =>
        Assert.Equal(["england-and-wales"], ErrorsOf("""{"scotland":{"events":[{"date":"2026-01-02"}]}}""").Keys);

    [Fact]
    public void A_division_that_is_not_an_object_is_named() =>
        Assert.Equal(["england-and-wales"], ErrorsOf("""{"england-and-wales":[]}""").Keys);

    [Theory]
    [InlineData("""{"england-and-wales":{"division":"england-and-wales"}}""")]
    [InlineData("""{"england-and-wales":{"events":{}}}""")]
    [InlineData("""{"england-and-wales":{"events":[]}}""")]
    public void Missing_wrong_or_empty_events_are_named(string json) =>
        Assert.Equal(["england-and-wales.events"], ErrorsOf(json).Keys);

    [Fact]
    public void Every_bad_event_is_named_by_its_index()
    {
        var errors = ErrorsOf("""
            {"england-and-wales":{"events":[
              {"title":"ok","date":"2026-01-01"},
              {"title":"slashes","date":"03/04/2026"},
              {"title":"no date"},
              {"title":"not a day","date":"2026-02-30"},
              {"title":"number","date":20260101},
              "just text",
              {"title":"with time","date":"2026-01-01T00:00:00Z"}
            ]}}
            """);
        Assert.Equal(
            ["england-and-wales.events[1].date", "england-and-wales.events[2].date", "england-and-wales.events[3].date",
             "england-and-wales.events[4].date", "england-and-wales.events[5]", "england-and-wales.events[6].date"],
            errors.Keys);
        Assert.Equal(["is required"], errors["england-and-wales.events[2].date"]);
    }
}

public class TermDatesCsvTests
{
    private const string Header = "la_code,term,first_day,last_day\n";

    private static IDictionary<string, string[]> ErrorsOf(string csv, string la = "840")
    {
        Assert.Null(TermDatesCsv.Parse(csv, la, out var errors));
        Assert.True(errors.Any);
        return errors.ToDictionary();
    }

    [Fact]
    public void The_example_LA_calendar_gives_twelve_terms_in_date_order()
    {
        var terms = TermDatesCsv.Parse(File.ReadAllText(DataPath("term-dates-example.csv")), "840", out var errors);
        Assert.False(errors.Any);
        Assert.Equal(12, terms!.Count);
        Assert.Equal(new Term("Autumn 1 2025", Date(2025, 9, 3), Date(2025, 10, 24)), terms[0]);
        Assert.Equal(new Term("Summer 2 2027", Date(2027, 6, 7), Date(2027, 7, 21)), terms[^1]);
        Assert.Equal(terms.OrderBy(t => t.FirstDay), terms);
    }

    [Fact]
    public void Terms_given_out_of_order_come_back_sorted_by_first_day()
    {
        var terms = TermDatesCsv.Parse(Header + "840,Spring,2026-01-05,2026-02-13\n840,Autumn,2025-09-03,2025-10-24\n", "840", out _);
        Assert.Equal(["Autumn", "Spring"], terms!.Select(t => t.Name));
    }

    [Fact]
    public void Quoted_fields_spaces_a_byte_order_mark_and_blank_lines_are_read()
    {
        var terms = TermDatesCsv.Parse("\uFEFF" + Header + "\n840 , \"Autumn 1, 2025\" , 2025-09-03 ,2025-10-24\r\n\r\n", "840", out var errors);
        Assert.False(errors.Any, string.Join("; ", errors.ToDictionary().Select(e => e.Key + " " + string.Join(",", e.Value))));
        Assert.Equal(new Term("Autumn 1, 2025", Date(2025, 9, 3), Date(2025, 10, 24)), Assert.Single(terms!));
    }

    [Fact]
    public void A_one_day_term_is_allowed() =>
        Assert.NotNull(TermDatesCsv.Parse(Header + "840,Taster day,2026-07-23,2026-07-23\n", "840", out _));

    [Theory]
    [InlineData("")]
    [InlineData("la,term,first,last\n840,Autumn,2025-09-03,2025-10-24\n")]
    [InlineData("la_code,term,first_day\n840,Autumn,2025-09-03\n")]
    [InlineData("la_code,term,first_day,last_day,notes\n840,Autumn,2025-09-03,2025-10-24,x\n")]
    public void A_missing_or_wrong_header_is_named(string csv) =>
        Assert.Equal(["header"], ErrorsOf(csv).Keys);

    [Fact]
    public void A_header_with_no_rows_is_refused() =>
        Assert.Equal(["file"], ErrorsOf(Header).Keys);

    [Fact]
    public void Every_bad_field_is_named_by_line_and_column()
    {
        var csv = Header +
            "840,Autumn 1,2025-09-03,2025-10-24\n" + // line 2: fine
            "840,Autumn 2,03/11/2025,2025-12-19\n" + // line 3: first_day
            "840,,2026-01-05,2026-02-13\n" + // line 4: term
            "841,Spring 2,2026-02-23,2026-03-27\n" + // line 5: la_code
            "840,Summer 1,2026-05-22,2026-04-13\n" + // line 6: last_day before first_day
            "840,Summer 2,2026-06-01,2026-06-31\n" + // line 7: last_day not a date
            "840,Autumn 3,2026-09-02\n" + // line 8: too few fields
            ",Autumn 4,2026-11-02,2026-12-18\n"; // line 9: la_code empty
        var errors = ErrorsOf(csv);
        Assert.Equal(
            ["line 3: first_day", "line 4: term", "line 5: la_code", "line 6: last_day", "line 7: last_day", "line 8", "line 9: la_code"],
            errors.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Contains("840", errors["line 5: la_code"][0]);
    }

    [Fact]
    public void Line_numbers_count_blank_lines_as_the_file_does() =>
        Assert.Equal(["line 4: first_day"], ErrorsOf(Header + "840,Autumn 1,2025-09-03,2025-10-24\n\n840,Autumn 2,2025-13-01,2025-12-19\n").Keys);

    [Fact]
    public void Overlapping_terms_are_named_at_the_later_terms_first_day()
    {
        var errors = ErrorsOf(Header +
            "840,Autumn 2,2025-10-20,2025-12-19\n" + // line 2 overlaps line 3 (Autumn 1 ends 24 Oct)
            "840,Autumn 1,2025-09-03,2025-10-24\n");
        Assert.Equal(["line 2: first_day"], errors.Keys);
        Assert.Contains("line 3", errors["line 2: first_day"][0]);
    }

    [Fact]
    public void Terms_that_share_only_a_day_overlap()
    {
        Assert.Equal(["line 3: first_day"], ErrorsOf(Header + "840,A,2025-09-03,2025-10-24\n840,B,2025-10-24,2025-12-19\n").Keys);
    }

    [Fact]
    public void A_long_term_that_swallows_two_later_ones_is_reported_against_both() =>
        Assert.Equal(["line 3: first_day", "line 4: first_day"],
            ErrorsOf(Header + "840,Year,2025-09-01,2026-07-31\n840,A,2025-09-03,2025-10-24\n840,B,2025-11-03,2025-12-19\n").Keys);

    [Fact]
    public void A_file_of_more_than_a_thousand_terms_is_refused()
    {
        var csv = new StringBuilder(Header);
        var day = Date(2000, 1, 3);
        for (var i = 0; i < 1001; i++, day = day.PlusDays(2)) csv.Append($"840,T{i},{day:uuuu-MM-dd},{day:uuuu-MM-dd}\n");
        Assert.Equal(["file"], ErrorsOf(csv.ToString()).Keys);
    }

    [Fact]
    public void A_stray_quote_is_named_by_its_line() =>
        Assert.Contains("line 3", ErrorsOf(Header + "840,A,2025-09-03,2025-10-24\n840,\"B,2025-11-03,2025-12-19\n").Keys);

    [Fact]
    public void Another_LAs_file_is_refused_row_by_row() =>
        Assert.Equal(Enumerable.Range(2, 12).Select(l => $"line {l}: la_code").Order(StringComparer.Ordinal),
            ErrorsOf(File.ReadAllText(DataPath("term-dates-example.csv")), "841").Keys.Order(StringComparer.Ordinal));
}

public class SchoolCalendarOverrideTests
{
    private static IDictionary<string, string[]> ErrorsOf(string json)
    {
        Assert.Null(SchoolCalendarOverride.Parse(Utf8(json), out var errors));
        Assert.True(errors.Any);
        return errors.ToDictionary();
    }

    [Fact]
    public void Terms_and_closed_days_are_read()
    {
        var own = SchoolCalendarOverride.Parse(Utf8("""
            {"terms":[{"name":"Autumn 2","firstDay":"2026-11-02","lastDay":"2026-12-18"},
                      {"name":"Autumn 1","firstDay":"2026-09-01","lastDay":"2026-10-23"}],
             "closedDays":["2026-09-01","2026-11-02","2026-09-01"]}
            """), out var errors);
        Assert.False(errors.Any);
        Assert.Equal([new Term("Autumn 1", Date(2026, 9, 1), Date(2026, 10, 23)), new Term("Autumn 2", Date(2026, 11, 2), Date(2026, 12, 18))], own!.Terms!);
        Assert.Equal(Days(Date(2026, 9, 1), Date(2026, 11, 2)), own.ClosedDays);
    }

    [Fact]
    public void Closed_days_alone_keep_the_LAs_terms()
    {
        var own = SchoolCalendarOverride.Parse(Utf8("""{"closedDays":["2026-09-02"]}"""), out var errors);
        Assert.False(errors.Any);
        Assert.Null(own!.Terms);
        var calendar = WorkingCalendar.For(BankHolidays, La840Terms, own);
        Assert.Same(La840Terms, calendar.Terms);
        Assert.Contains(Date(2026, 9, 2), calendar.ClosedDays);
    }

    [Fact]
    public void Terms_alone_replace_the_LAs_and_close_no_extra_days()
    {
        var own = SchoolCalendarOverride.Parse(Utf8("""{"terms":[{"name":"Autumn","firstDay":"2026-09-01","lastDay":"2026-12-18"}]}"""), out _);
        var calendar = WorkingCalendar.For(BankHolidays, La840Terms, own);
        Assert.Equal([new Term("Autumn", Date(2026, 9, 1), Date(2026, 12, 18))], calendar.Terms!);
        Assert.Empty(calendar.ClosedDays);
    }

    [Fact]
    public void Without_an_override_a_school_has_its_LAs_calendar_and_no_closed_days()
    {
        var calendar = WorkingCalendar.For(BankHolidays, La840Terms, null);
        Assert.Same(La840Terms, calendar.Terms);
        Assert.Same(BankHolidays, calendar.BankHolidays);
        Assert.Empty(calendar.ClosedDays);
        Assert.Null(WorkingCalendar.For(BankHolidays, null, null).Terms);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"terms":null,"closedDays":null}""")]
    [InlineData("[]")]
    [InlineData("nonsense")]
    [InlineData("")]
    public void A_body_with_neither_terms_nor_closed_days_is_refused_as_a_whole(string json) =>
        Assert.Equal(["$"], ErrorsOf(json).Keys);

    [Fact]
    public void Unknown_properties_are_named()
    {
        var errors = ErrorsOf("""{"terms":[{"name":"A","firstDay":"2026-09-01","lastDay":"2026-10-23","notes":"x"}],"holidays":[]}""");
        Assert.Equal(["holidays", "terms[0].notes"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["is not a known field"], errors["holidays"]);
    }

    [Fact]
    public void Every_bad_term_field_is_named_by_index()
    {
        var errors = ErrorsOf("""
            {"terms":[
              {"name":"A","firstDay":"01/09/2026","lastDay":"2026-10-23"},
              {"name":"B","firstDay":"2026-11-02","lastDay":"2026-11-01"},
              {"firstDay":"2027-01-04","lastDay":"2027-02-12"},
              {"name":"D","firstDay":20270222,"lastDay":"2027-03-25"},
              {"name":"E","firstDay":"2027-04-12"},
              "F"
            ]}
            """);
        Assert.Equal(["terms[0].firstDay", "terms[1].lastDay", "terms[2].name", "terms[3].firstDay", "terms[4].lastDay", "terms[5]"],
            errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["must be a string"], errors["terms[3].firstDay"]);
    }

    [Fact]
    public void Overlapping_terms_are_named_at_the_later_terms_first_day()
    {
        var errors = ErrorsOf("""
            {"terms":[{"name":"A","firstDay":"2026-09-01","lastDay":"2026-10-23"},{"name":"B","firstDay":"2026-10-19","lastDay":"2026-12-18"}]}
            """);
        Assert.Equal(["terms[1].firstDay"], errors.Keys);
        Assert.Contains("terms[0]", errors["terms[1].firstDay"][0]);
    }

    [Theory]
    [InlineData("""{"terms":[]}""")]
    [InlineData("""{"terms":{}}""")]
    [InlineData("""{"terms":"autumn"}""")]
    public void Empty_or_wrong_terms_are_named(string json) =>
        Assert.Equal(["terms"], ErrorsOf(json).Keys);

    [Fact]
    public void Every_bad_closed_day_is_named_by_index() =>
        Assert.Equal(["closedDays[2]", "closedDays[3]"],
            ErrorsOf("""{"closedDays":["2026-09-01","2026-09-02","2026/09/03",20260904]}""").Keys.Order(StringComparer.Ordinal));

    [Fact]
    public void Closed_days_that_are_not_an_array_are_named() =>
        Assert.Equal(["closedDays"], ErrorsOf("""{"closedDays":"2026-09-01"}""").Keys);

    [Fact]
    public void A_property_given_twice_is_refused() =>
        Assert.Contains("closedDays", ErrorsOf("""{"closedDays":["2026-09-01"],"closedDays":["2026-09-02"]}""").Keys);
}
