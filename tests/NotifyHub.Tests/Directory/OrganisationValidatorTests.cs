using System.Text.Json;
using System.Text.Json.Nodes;
using NotifyHub.Domain.Directory;

namespace NotifyHub.Tests.RecipientDirectory;

public class OrganisationValidatorTests
{
    private static JsonObject School() => new()
    {
        ["id"] = "school-100001", ["type"] = "school", ["name"] = "Synthetic Primary", ["urn"] = "100001", ["laCode"] = "840",
        ["contacts"] = new JsonArray(new JsonObject { ["name"] = "Synthetic DSL", ["role"] = "DSL", ["email"] = "dsl@example.invalid", ["phone"] = "01234 567890" }),
        ["channel"] = new JsonObject { ["kind"] = "webhook", ["url"] = "https://school.example.invalid/hook" },
        ["schoolDayStart"] = "08:45",
    };

    private static JsonObject Team(string type) => new()
    {
        ["id"] = "team-1", ["type"] = type, ["name"] = "Synthetic team", ["laCode"] = "840",
        ["coverage"] = new JsonObject { ["gpPracticeOdsCodes"] = new JsonArray("a99001"), ["postcodeDistricts"] = new JsonArray("dh1") },
    };

    private static IDictionary<string, string[]> Errors(JsonObject body) =>
        OrganisationValidator.ValidateNew(JsonDocument.Parse(body.ToJsonString()).RootElement).Errors.ToDictionary();

    private static JsonObject With(JsonObject body, string field, JsonNode? value)
    {
        if (value is null) body.Remove(field); else body[field] = value;
        return body;
    }

    [Fact]
    public void A_complete_school_is_valid_with_every_field_read()
    {
        var validated = OrganisationValidator.ValidateNew(JsonDocument.Parse(School().ToJsonString()).RootElement);
        Assert.True(validated.IsValid, string.Join("; ", validated.Errors.ToDictionary().Keys));
        var school = validated.Value!;
        Assert.Equal(("100001", "840", new TimeOnly(8, 45)), (school.Urn, school.LaCode, school.SchoolDayStart));
        Assert.Equal("dsl@example.invalid", Assert.Single(school.Contacts!).Email);
        Assert.Equal("webhook", school.Channel!.Kind);
        Assert.Null(school.Coverage);
    }

    [Fact]
    public void A_school_without_a_school_day_start_starts_at_half_past_eight() =>
        Assert.Equal(new TimeOnly(8, 30),
            OrganisationValidator.ValidateNew(JsonDocument.Parse(With(School(), "schoolDayStart", null).ToJsonString()).RootElement).Value!.SchoolDayStart);

    [Fact]
    public void Coverage_codes_are_stored_in_capitals()
    {
        var team = OrganisationValidator.ValidateNew(JsonDocument.Parse(Team("health-visiting-team").ToJsonString()).RootElement).Value!;
        Assert.Equal(["A99001"], team.Coverage!.GpPracticeOdsCodes);
        Assert.Equal(["DH1"], team.Coverage.PostcodeDistricts);
    }

    [Theory]
    [InlineData("urn", "12345")]
    [InlineData("urn", "EY123456")]
    [InlineData("urn", "1000011")]
    [InlineData("laCode", "84")]
    [InlineData("laCode", "E10000")]
    [InlineData("schoolDayStart", "8.30")]
    [InlineData("schoolDayStart", "25:00")]
    [InlineData("postcode", "not a postcode")]
    [InlineData("odsCode", "A-1")]
    [InlineData("calendarOverride", "Academy Calendar!")]
    [InlineData("id", "School 1")]
    [InlineData("type", "hospital")]
    [InlineData("forceCode", "DUR")]
    public void A_bad_field_of_a_school_is_named(string field, string value) =>
        Assert.Contains(field, Errors(With(School(), field, value)).Keys);

    [Theory]
    [InlineData("school", "urn", "999001")]
    [InlineData("school", "laCode", "999")]
    [InlineData("mash", "laCode", "999")]
    [InlineData("police-force", "forceCode", "DEMO")]
    [InlineData("health-visiting-team", "coverage.gpPracticeOdsCodes[1]", "Q99001")]
    [InlineData("health-visiting-team", "coverage.postcodeDistricts[1]", "QQ9")]
    public void A_real_organisation_cannot_use_an_identifier_reserved_for_the_demo_directory(string type, string field, string value)
    {
        var body = type switch
        {
            "school" => School(),
            "police-force" => new JsonObject { ["id"] = "force-x", ["type"] = type, ["name"] = "Synthetic force", ["forceCode"] = "TX" },
            _ => OrganisationValidator.TakesCoverage(type) ? Team(type) : With(Team(type), "coverage", null),
        };
        if (field.StartsWith("coverage.", StringComparison.Ordinal))
        {
            var list = field.Contains("gp") ? "gpPracticeOdsCodes" : "postcodeDistricts";
            body["coverage"]![list]!.AsArray().Add(value);
        }
        else body[field] = value;
        if (field == "urn") body["id"] = "school-" + value;

        var errors = Errors(body);

        Assert.Equal([field], errors.Keys);
        Assert.Contains("reserved for demo", errors[field].Single());
    }

    [Fact]
    public void Only_demo_mode_creates_an_organisation_with_a_demo_id() =>
        Assert.Contains("id", Errors(With(Team("mash"), "id", "demo-mash")).Keys);

    [Fact]
    public void A_demo_organisation_cannot_be_moved_into_the_real_directory()
    {
        var body = With(With(Team("mash"), "id", null), "coverage", null);
        var validated = OrganisationValidator.ValidateReplacement(JsonDocument.Parse(body.ToJsonString()).RootElement, "demo-mash");
        Assert.Equal(["laCode"], validated.Errors.ToDictionary().Keys);
    }

    [Fact]
    public void A_school_needs_a_urn_and_a_local_authority()
    {
        var errors = Errors(With(With(School(), "urn", null), "laCode", null));
        Assert.Contains("urn", errors.Keys);
        Assert.Contains("laCode", errors.Keys);
    }

    [Theory]
    [InlineData("EY123456", true)]
    [InlineData("123456", true)]
    [InlineData("EY12345", false)]
    [InlineData("XY123456", false)]
    public void An_early_years_urn_is_EY_and_six_digits_or_six_digits(string urn, bool valid)
    {
        var body = new JsonObject { ["id"] = "early-years-" + urn.ToLowerInvariant(), ["type"] = "early-years-setting", ["name"] = "Synthetic Nursery", ["urn"] = urn };
        Assert.Equal(valid, !Errors(body).ContainsKey("urn"));
    }

    [Theory]
    [InlineData("school", "100001", "school-100001", true)]
    [InlineData("school", "100001", "school-100002", false)]
    [InlineData("school", "100001", "my-school", false)]
    [InlineData("early-years-setting", "EY900001", "early-years-ey900001", true)]
    [InlineData("early-years-setting", "EY900001", "nursery-1", false)]
    public void A_school_or_setting_has_the_id_its_urn_gives_it_so_that_no_two_claim_one_urn(string type, string urn, string id, bool valid)
    {
        var body = new JsonObject { ["id"] = id, ["type"] = type, ["name"] = "Synthetic", ["urn"] = urn, ["laCode"] = "840" };
        Assert.Equal(valid, !Errors(body).ContainsKey("id"));
    }

    [Fact]
    public void Coverage_on_a_school_is_refused() =>
        Assert.Contains("coverage", Errors(With(School(), "coverage", new JsonObject { ["postcodeDistricts"] = new JsonArray("DH1") })).Keys);

    [Fact]
    public void A_urn_on_a_team_is_refused() =>
        Assert.Contains("urn", Errors(With(Team("mash"), "urn", "100001")).Keys);

    [Fact]
    public void Bad_coverage_codes_are_named_by_index()
    {
        var body = Team("school-nursing-team");
        body["coverage"] = new JsonObject { ["gpPracticeOdsCodes"] = new JsonArray("A99001", "99001A"), ["postcodeDistricts"] = new JsonArray("DH1 5ZZ") };
        var errors = Errors(body);
        Assert.Contains("coverage.gpPracticeOdsCodes[1]", errors.Keys);
        Assert.Contains("coverage.postcodeDistricts[0]", errors.Keys);
        Assert.DoesNotContain("coverage.gpPracticeOdsCodes[0]", errors.Keys);
    }

    [Theory]
    [InlineData("http://school.example.invalid/hook", false)]
    [InlineData("ftp://school.example.invalid/hook", false)]
    [InlineData("https://user:pw@school.example.invalid/hook", false)]
    [InlineData("/relative", false)]
    [InlineData("http://localhost:7071/hook", true)]
    [InlineData("http://127.0.0.1:7071/hook", true)]
    [InlineData("https://school.example.invalid/hook", true)]
    public void A_webhook_url_must_be_https_except_on_localhost(string url, bool valid)
    {
        var body = With(School(), "channel", new JsonObject { ["kind"] = "webhook", ["url"] = url });
        Assert.Equal(valid, !Errors(body).ContainsKey("channel.url"));
    }

    [Fact]
    public void Channel_fields_must_fit_the_channel_kind()
    {
        Assert.Contains("channel.email", Errors(With(School(), "channel", new JsonObject { ["kind"] = "email" })).Keys);
        Assert.Contains("channel.url", Errors(With(School(), "channel", new JsonObject { ["kind"] = "email", ["email"] = "a@example.invalid", ["url"] = "https://x.example.invalid" })).Keys);
        Assert.Contains("channel.kind", Errors(With(School(), "channel", new JsonObject { ["kind"] = "fax" })).Keys);
    }

    [Fact]
    public void Every_bad_contact_field_is_named()
    {
        var body = With(School(), "contacts", new JsonArray(
            new JsonObject { ["name"] = "Synthetic DSL", ["email"] = "not-an-email" },
            new JsonObject { ["role"] = "DSL", ["phone"] = "call me" },
            new JsonObject { ["name"] = "No way to reach" }));
        var errors = Errors(body);
        Assert.Contains("contacts[0].email", errors.Keys);
        Assert.Contains("contacts[1].name", errors.Keys);
        Assert.Contains("contacts[1].phone", errors.Keys);
        Assert.Contains("contacts[2].email", errors.Keys);
    }

    /// <summary>Addresses a loose pattern lets through but the sender (MimeKit) cannot send to, or that are not one plain address.</summary>
    public static TheoryData<string> UnsendableAddresses => new()
    {
        "x@school..example", "x,head@school.example", "a..b@school.example", ".dsl@school.example", "dsl.@school.example",
        "Head <head@school.example>", "dsl(office)@school.example", "dsl@school.example (office)", "dsl@[192.0.2.1]", "dsl@school",
        "dsl@school_x.example", "dsl@-school.example", "dsl@school.example.", "head@school.example,", "group: head@school.example;",
    };

    [Theory]
    [MemberData(nameof(UnsendableAddresses))]
    public void An_email_address_the_sender_cannot_send_to_is_refused_wherever_the_directory_takes_one_and_the_field_is_named(string address)
    {
        var contact = With(School(), "contacts", new JsonArray(new JsonObject { ["name"] = "Synthetic DSL", ["email"] = address }));
        Assert.Equal(["contacts[0].email"], Errors(contact).Keys);
        var channel = With(School(), "channel", new JsonObject { ["kind"] = "email", ["email"] = address });
        Assert.Equal(["channel.email"], Errors(channel).Keys);
        var lead = new JsonObject
        {
            ["id"] = "lead-1", ["type"] = "partnership-lead", ["name"] = "Synthetic partnership", ["laCodes"] = new JsonArray("840"),
            ["escalationContacts"] = new JsonArray(new JsonObject { ["email"] = address }),
        };
        Assert.Equal(["escalationContacts[0].email"], Errors(lead).Keys);
    }

    [Theory]
    [InlineData("dsl@school.example")]
    [InlineData("first.last+safeguarding@mail.school.example")]
    [InlineData("DSL@School.Example")]
    [InlineData("o'brien@school.example")]
    [InlineData("head@école.example")]
    public void A_plain_email_address_is_accepted_as_given(string address)
    {
        var validated = OrganisationValidator.ValidateNew(JsonDocument.Parse(
            With(School(), "channel", new JsonObject { ["kind"] = "email", ["email"] = address }).ToJsonString()).RootElement);
        Assert.True(validated.IsValid, string.Join("; ", validated.Errors.ToDictionary().Keys));
        Assert.Equal(address, validated.Value!.Channel!.Email);
    }

    [Theory]
    [InlineData("nps-spoc")]
    [InlineData("midwifery-team")]
    [InlineData("mash")]
    public void A_team_found_by_local_authority_needs_one(string type) =>
        Assert.Contains("laCode", Errors(new JsonObject { ["id"] = "team-1", ["type"] = type, ["name"] = "Synthetic team" }).Keys);

    [Fact]
    public void School_fields_on_a_team_are_refused()
    {
        var errors = Errors(With(With(Team("yos-team"), "coverage", null), "schoolDayStart", "08:30"));
        Assert.Contains("schoolDayStart", errors.Keys);
        Assert.Contains("coverage", Errors(Team("yos-team")).Keys);
    }

    [Fact]
    public void A_police_force_needs_its_force_code() =>
        Assert.Contains("forceCode", Errors(new JsonObject { ["id"] = "durham-police", ["type"] = "police-force", ["name"] = "Synthetic force" }).Keys);

    [Fact]
    public void Unknown_fields_are_refused() =>
        Assert.Contains("headteacher", Errors(With(School(), "headteacher", "someone")).Keys);

    [Fact]
    public void A_replacement_may_leave_out_the_id_but_not_change_it()
    {
        var withoutId = With(School(), "id", null);
        Assert.True(OrganisationValidator.ValidateReplacement(JsonDocument.Parse(withoutId.ToJsonString()).RootElement, "school-100001").IsValid);
        var otherId = OrganisationValidator.ValidateReplacement(JsonDocument.Parse(School().ToJsonString()).RootElement, "school-100002");
        Assert.Contains("id", otherId.Errors.ToDictionary().Keys);
    }
}
