using NotifyHub.Domain.Directory;
using NotifyHub.Organisations.Gias;

namespace NotifyHub.Tests.RecipientDirectory;

public class GiasRulesTests
{
    private static readonly DateOnly Today = new(2026, 11, 25);

    private static GiasRow Row(params (string Column, string Value)[] changes)
    {
        var fields = new Dictionary<string, string?>
        {
            [GiasColumns.Urn] = "100001", [GiasColumns.LaCode] = "840", [GiasColumns.Name] = "Synthetic School 00001",
            [GiasColumns.Status] = "Open", [GiasColumns.Type] = "Community school", [GiasColumns.TypeGroup] = "Local authority maintained schools",
            [GiasColumns.Phase] = "Primary", [GiasColumns.LowAge] = "4", [GiasColumns.HighAge] = "11", [GiasColumns.Postcode] = "dh1 9zz",
            [GiasColumns.CloseDate] = "",
        };
        foreach (var (column, value) in changes) fields[column] = value;
        return new GiasRow(7, fields);
    }

    [Fact]
    public void An_open_school_becomes_school_urn_with_the_gias_fields()
    {
        var open = Assert.IsType<GiasDecision.Open>(GiasRules.Decide(Row(), Today));
        Assert.Equal(new GiasSchool("100001", "840", "Synthetic School 00001", "Primary", 4, 11, "DH1 9ZZ", "Community school", "Local authority maintained schools"), open.School);
        Assert.Equal("school-100001", open.School.Id);
    }

    [Theory]
    [InlineData("Academies")]
    [InlineData("Free Schools")]
    [InlineData("Independent schools")]
    [InlineData("Special schools")]
    [InlineData("Colleges")]
    public void Academies_free_independent_special_schools_and_colleges_are_imported(string group) =>
        Assert.IsType<GiasDecision.Open>(GiasRules.Decide(Row((GiasColumns.TypeGroup, group)), Today));

    [Theory]
    [InlineData("Universities")]
    [InlineData("Welsh schools")]
    [InlineData("Other types")]
    [InlineData("Online provider")]
    public void Universities_welsh_online_and_other_establishments_are_skipped_with_their_group_as_reason(string group) =>
        Assert.Equal(GiasRules.SkipTypeGroupPrefix + group, Assert.IsType<GiasDecision.Skip>(GiasRules.Decide(Row((GiasColumns.TypeGroup, group)), Today)).Reason);

    [Fact]
    public void A_closed_establishment_is_closed_whatever_its_type() =>
        Assert.Equal("100001", Assert.IsType<GiasDecision.Closed>(GiasRules.Decide(Row((GiasColumns.Status, "Closed"), (GiasColumns.TypeGroup, "Universities")), Today)).Urn);

    [Fact]
    public void An_establishment_proposed_to_open_is_skipped() =>
        Assert.Equal(GiasRules.SkipProposedToOpen, Assert.IsType<GiasDecision.Skip>(GiasRules.Decide(Row((GiasColumns.Status, "Proposed to open")), Today)).Reason);

    [Fact]
    public void An_open_school_proposed_to_close_is_open_until_its_close_date_has_passed()
    {
        Assert.IsType<GiasDecision.Open>(GiasRules.Decide(Row((GiasColumns.Status, "Open, but proposed to close"), (GiasColumns.CloseDate, "31-08-2027")), Today));
        Assert.IsType<GiasDecision.Closed>(GiasRules.Decide(Row((GiasColumns.Status, "Open, but proposed to close"), (GiasColumns.CloseDate, "31-08-2026")), Today));
    }

    [Theory]
    [InlineData(GiasColumns.Urn, "10001")]
    [InlineData(GiasColumns.Urn, "")]
    [InlineData(GiasColumns.LaCode, "E0800")]
    [InlineData(GiasColumns.Name, "")]
    [InlineData(GiasColumns.LowAge, "four")]
    [InlineData(GiasColumns.HighAge, "-1")]
    [InlineData(GiasColumns.Status, "Unknown")]
    [InlineData(GiasColumns.CloseDate, "2026/31/08")]
    public void A_bad_field_is_an_error_naming_the_row_and_column(string column, string value)
    {
        var error = Assert.IsType<GiasDecision.Error>(GiasRules.Decide(Row((column, value)), Today));
        Assert.Equal((7, column), (error.Row, error.Field));
    }

    [Theory]
    [InlineData(GiasColumns.Urn, "999001")]
    [InlineData(GiasColumns.LaCode, "999")]
    public void A_row_in_the_demo_space_is_an_error_so_that_no_import_can_overwrite_or_join_the_demo_directory(string column, string value)
    {
        var error = Assert.IsType<GiasDecision.Error>(GiasRules.Decide(Row((column, value)), Today));
        Assert.Equal(column, error.Field);
        Assert.Contains("reserved for demo", error.Reason);
    }

    [Fact]
    public void Reapplying_gias_changes_only_gias_fields_and_keeps_what_administrators_set()
    {
        var school = Assert.IsType<GiasDecision.Open>(GiasRules.Decide(Row(), Today)).School;
        var adminSet = GiasRules.Apply(school, null, false) with
        {
            Name = "Old name", SchoolDayStart = new TimeOnly(8, 50), CalendarOverride = "academy-trust-1",
            Contacts = [new Contact("Synthetic DSL", "DSL", "dsl@example.invalid", null)], Channel = new ChannelSettings("inbox", null, null),
        };
        var after = GiasRules.Apply(school, adminSet, false);
        Assert.Equal("Synthetic School 00001", after.Name);
        Assert.Equal((new TimeOnly(8, 50), "academy-trust-1"), (after.SchoolDayStart, after.CalendarOverride));
        Assert.Same(adminSet.Contacts, after.Contacts);
        Assert.Same(adminSet.Channel, after.Channel);
        Assert.True(GiasRules.GiasFieldsDiffer(adminSet, after));
        Assert.False(GiasRules.GiasFieldsDiffer(after, GiasRules.Apply(school, after, false)));
    }

    [Fact]
    public void A_school_an_administrator_deactivated_stays_inactive_but_one_gias_closed_reopens()
    {
        var school = Assert.IsType<GiasDecision.Open>(GiasRules.Decide(Row(), Today)).School;
        var inactive = new Organisation("school-100001", "school", "Synthetic School 00001", Active: false);
        Assert.False(GiasRules.Apply(school, inactive, deactivatedByAdmin: true).Active);
        Assert.True(GiasRules.Apply(school, inactive, deactivatedByAdmin: false).Active);
    }
}
