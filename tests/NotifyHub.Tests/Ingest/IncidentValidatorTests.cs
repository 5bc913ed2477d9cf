using System.Text.Json;
using System.Text.Json.Nodes;
using NotifyHub.Domain.Incidents;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.Ingest;

public class IncidentValidatorTests
{
    private static readonly IncidentRules Rules = new();

    private static IDictionary<string, string[]> ErrorsOf(JsonNode body, DateTimeOffset? now = null)
    {
        using var document = JsonDocument.Parse(body.ToJsonString());
        var result = IncidentValidator.Validate(document.RootElement, now ?? ExampleIncident.Now, Rules);
        return result.Errors.ToDictionary();
    }

    private static Incident Valid(JsonNode body, DateTimeOffset? now = null)
    {
        using var document = JsonDocument.Parse(body.ToJsonString());
        var result = IncidentValidator.Validate(document.RootElement, now ?? ExampleIncident.Now, Rules);
        Assert.True(result.IsValid, string.Join("; ", result.Errors.ToDictionary().Select(e => $"{e.Key}: {string.Join(",", e.Value)}")));
        return result.Value!;
    }

    [Fact]
    public void The_documented_example_incident_is_valid_and_read_in_full()
    {
        var incident = Valid(ExampleIncident.Load());
        Assert.Equal("DEMO", incident.ForceCode);
        Assert.Equal(RiskLevel.Medium, incident.RiskLevel);
        Assert.Equal(2, incident.Children.Count);
        Assert.Equal("9434765919", incident.Children[0].NhsNumber);
        Assert.Equal("999001", incident.Children[0].SchoolUrn);
        Assert.Equal(ProbationProvider.Nps, incident.Adults[1].Probation!.Provider);
        Assert.True(incident.Adults[0].Pregnant);
    }

    [Fact]
    public void An_empty_object_is_refused_naming_every_required_field()
    {
        var errors = ErrorsOf(new JsonObject());
        foreach (var field in new[] { "forceCode", "incidentReference", "occurredAt", "reportedAt", "riskLevel", "location", "summary", "officer", "children" })
        {
            Assert.True(errors.ContainsKey(field), $"expected an error for {field}");
        }
        Assert.DoesNotContain("attendedAt", errors.Keys); // nullable: diary appointments
        Assert.DoesNotContain("adults", errors.Keys);
    }

    [Fact]
    public void A_body_that_is_not_an_object_is_refused()
    {
        Assert.Contains("$", ErrorsOf(new JsonArray()).Keys);
    }

    [Fact]
    public void All_bad_fields_are_reported_together_not_just_the_first()
    {
        var body = ExampleIncident.Load()
            .With("riskLevel", "severe")
            .With("children[0].nhsNumber", "9434765918")
            .With("children[1].dateOfBirth", "2031-01-01")
            .With("location.laCode", "84");
        var errors = ErrorsOf(body);
        Assert.Equal(
            new[] { "children[0].nhsNumber", "children[1].dateOfBirth", "location.laCode", "riskLevel" },
            errors.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("riskLevel", "\"severe\"", "riskLevel")]
    [InlineData("riskLevel", "3", "riskLevel")]
    [InlineData("forceCode", "\"dur\"", "forceCode")]
    [InlineData("incidentReference", "\"DUR/2026/1\"", "incidentReference")]
    [InlineData("incidentReference", "\"\"", "incidentReference")]
    [InlineData("occurredAt", "\"2026-11-24T21:40:00\"", "occurredAt")]
    [InlineData("occurredAt", "\"24/11/2026 21:40\"", "occurredAt")]
    [InlineData("occurredAt", "\"1999-12-31T23:00:00Z\"", "occurredAt")]
    [InlineData("reportedAt", "\"2026-11-24T20:00:00Z\"", "reportedAt")]
    [InlineData("attendedAt", "\"2026-11-24T20:00:00Z\"", "attendedAt")]
    [InlineData("location.laCode", "\"8400\"", "location.laCode")]
    [InlineData("location.postcodeDistrict", "\"DH1 3AB\"", "location.postcodeDistrict")]
    [InlineData("location.address", "\"1 Example Street\"", "location.address")]
    [InlineData("officer.email", "\"not-an-email\"", "officer.email")]
    [InlineData("officer.phone", "\"call me\"", "officer.phone")]
    [InlineData("children", "[]", "children")]
    [InlineData("children", "{}", "children")]
    [InlineData("children[0].nhsNumber", "\"9434765918\"", "children[0].nhsNumber")]
    [InlineData("children[0].nhsNumber", "\"94347659\"", "children[0].nhsNumber")]
    [InlineData("children[0].schoolUrn", "\"10001\"", "children[0].schoolUrn")]
    [InlineData("children[0].schoolUrn", "\"ABC123\"", "children[0].schoolUrn")]
    [InlineData("children[0].gpPracticeOdsCode", "\"12345\"", "children[0].gpPracticeOdsCode")]
    [InlineData("children[0].earlyYearsSettingUrn", "\"EY12\"", "children[0].earlyYearsSettingUrn")]
    [InlineData("children[0].present", "\"yes\"", "children[0].present")]
    [InlineData("children[0].dateOfBirth", "\"2027-01-01\"", "children[0].dateOfBirth")]
    [InlineData("children[0].dateOfBirth", "\"2005-01-01\"", "children[0].dateOfBirth")]
    [InlineData("children[0].dateOfBirth", "\"02/03/2016\"", "children[0].dateOfBirth")]
    [InlineData("children[0].expectedDueDate", "\"2027-03-01\"", "children[0].expectedDueDate")]
    [InlineData("children[0].electivelyHomeEducated", "true", "children[0].electivelyHomeEducated")]
    [InlineData("children[0].favouriteColour", "\"blue\"", "children[0].favouriteColour")]
    [InlineData("adults[0].role", "\"witness\"", "adults[0].role")]
    [InlineData("adults[0].dateOfBirth", "\"2020-01-01\"", "adults[0].dateOfBirth")]
    [InlineData("adults[0].dateOfBirth", "\"1880-01-01\"", "adults[0].dateOfBirth")]
    [InlineData("adults[1].probation.provider", "\"probation\"", "adults[1].probation.provider")]
    [InlineData("adults[1].probation.region", "\"\"", "adults[1].probation.region")]
    [InlineData("adults", "\"none\"", "adults")]
    public void A_bad_field_is_refused_and_named(string path, string json, string expectedError)
    {
        var errors = ErrorsOf(ExampleIncident.Load().With(path, JsonNode.Parse(json)));
        Assert.Contains(expectedError, errors.Keys);
    }

    [Theory]
    [InlineData("forceCode")]
    [InlineData("incidentReference")]
    [InlineData("summary")]
    [InlineData("officer.name")]
    [InlineData("children[0].policePersonReference")]
    [InlineData("children[0].givenName")]
    [InlineData("children[0].familyName")]
    [InlineData("children[0].present")]
    [InlineData("adults[0].role")]
    [InlineData("adults[0].givenName")]
    public void A_missing_required_field_is_named(string path)
    {
        var errors = ErrorsOf(ExampleIncident.Load().With(path, null));
        Assert.Equal(["is required"], errors[path]);
    }

    [Fact]
    public void A_child_needs_a_date_of_birth_or_an_expected_due_date()
    {
        var errors = ErrorsOf(ExampleIncident.Load().With("children[1].dateOfBirth", null));
        Assert.Contains("children[1].dateOfBirth", errors.Keys);
    }

    [Fact]
    public void A_child_cannot_have_both_a_date_of_birth_and_an_expected_due_date()
    {
        var errors = ErrorsOf(ExampleIncident.Load().With("children[1].expectedDueDate", "2027-01-10"));
        Assert.Contains("children[1].expectedDueDate", errors.Keys);
    }

    [Fact]
    public void An_unborn_child_is_accepted_with_a_plausible_due_date_and_no_names()
    {
        var unborn = new JsonObject { ["policePersonReference"] = "P-SYN-0009", ["expectedDueDate"] = "2027-04-01", ["present"] = false };
        var body = ExampleIncident.Load();
        body["children"]!.AsArray().Add(unborn);
        var incident = Valid(body);
        Assert.True(incident.Children[2].IsUnborn);
        Assert.Null(incident.Children[2].GivenName);
    }

    [Fact]
    public void An_unborn_child_due_more_than_42_weeks_after_the_incident_is_refused()
    {
        var unborn = new JsonObject { ["policePersonReference"] = "P-SYN-0009", ["expectedDueDate"] = "2027-10-01", ["present"] = false };
        var body = ExampleIncident.Load();
        body["children"]!.AsArray().Add(unborn);
        Assert.Contains("children[2].expectedDueDate", ErrorsOf(body).Keys);
    }

    [Fact]
    public void A_timestamp_within_the_clock_skew_is_accepted_but_one_beyond_it_is_refused()
    {
        var now = ExampleIncident.Now;
        var withinSkew = ExampleIncident.For("DUR", "R-1", now).With("reportedAt", now.AddMinutes(4).ToString("yyyy-MM-ddTHH:mm:ssZ"));
        Valid(withinSkew, now);
        var beyondSkew = ExampleIncident.For("DUR", "R-1", now).With("reportedAt", now.AddMinutes(6).ToString("yyyy-MM-ddTHH:mm:ssZ"));
        Assert.Equal(["must not be in the future"], ErrorsOf(beyondSkew, now)["reportedAt"]);
    }

    [Fact]
    public void A_timestamp_with_an_offset_is_read_as_that_instant()
    {
        var incident = Valid(ExampleIncident.Load().With("occurredAt", "2026-11-24T21:40:00+01:00"));
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 20, 40, 0, TimeSpan.Zero), incident.OccurredAt.ToUniversalTime());
    }

    [Fact]
    public void An_incident_with_no_attendance_yet_is_accepted()
    {
        Assert.Null(Valid(ExampleIncident.Load().With("attendedAt", null)).AttendedAt);
    }

    [Fact]
    public void Text_longer_than_its_limit_is_refused()
    {
        var errors = ErrorsOf(ExampleIncident.Load().With("summary", new string('x', Rules.MaxSummaryLength + 1)));
        Assert.Equal([$"must be at most {Rules.MaxSummaryLength} characters"], errors["summary"]);
    }

    [Fact]
    public void More_children_than_the_limit_are_refused()
    {
        var body = ExampleIncident.Load();
        var children = body["children"]!.AsArray();
        while (children.Count <= Rules.MaxChildren) children.Add(children[1]!.DeepClone());
        Assert.Contains("children", ErrorsOf(body).Keys);
    }

    [Fact]
    public void An_officer_without_a_phone_or_email_is_refused()
    {
        var errors = ErrorsOf(ExampleIncident.Load().With("officer.phone", null).With("officer.email", null));
        Assert.Contains("officer.phone", errors.Keys);
    }

    [Fact]
    public void Control_characters_in_text_are_refused_but_line_breaks_are_kept()
    {
        Assert.Contains("summary", ErrorsOf(ExampleIncident.Load().With("summary", "bad\u0007bell")).Keys);
        Assert.Equal("line one\nline two", Valid(ExampleIncident.Load().With("summary", "line one\nline two")).Summary);
    }

    [Fact]
    public void The_same_incident_sent_with_other_spacing_order_and_nhs_number_grouping_has_the_same_fingerprint()
    {
        var original = Valid(ExampleIncident.Load());
        var reordered = new JsonObject(ExampleIncident.Load().Reverse().Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
        reordered.With("children[0].nhsNumber", "9434765919");
        var again = Valid(reordered);
        Assert.Equal(IncidentJson.Fingerprint(IncidentJson.Serialize(original)), IncidentJson.Fingerprint(IncidentJson.Serialize(again)));

        var changed = Valid(ExampleIncident.Load().With("children[0].demeanour", "Calm."));
        Assert.NotEqual(IncidentJson.Fingerprint(IncidentJson.Serialize(original)), IncidentJson.Fingerprint(IncidentJson.Serialize(changed)));
    }

    [Fact]
    public void A_stored_incident_reads_back_equal_to_what_was_validated()
    {
        var incident = Valid(ExampleIncident.Load());
        var back = IncidentJson.Deserialize(IncidentJson.Serialize(incident));
        Assert.Equal(IncidentJson.Serialize(incident), IncidentJson.Serialize(back));
        Assert.Equal(incident.Children[0], back.Children[0]);
    }
}
