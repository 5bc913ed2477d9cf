using System.Text.Json;
using System.Text.Json.Nodes;
using NotifyHub.Domain.Directory;
using NotifyHub.Organisations;

namespace NotifyHub.Tests.RecipientDirectory;

/// <summary>GP practices as administrators send them, and the demo practice: pure checks, no hub.</summary>
public class GpPracticeValidatorTests
{
    private static JsonObject Practice() => new()
    {
        ["id"] = "gp-a99001", ["type"] = "gp-practice", ["name"] = "Synthetic Surgery", ["odsCode"] = "a99001", ["laCode"] = "840",
        ["postcode"] = "dh1 9zz",
        ["contacts"] = new JsonArray(new JsonObject { ["name"] = "Synthetic Safeguarding Lead", ["role"] = "Safeguarding lead", ["email"] = "lead@example.invalid" }),
        ["channel"] = new JsonObject { ["kind"] = "email", ["email"] = "practice@example.invalid" },
    };

    private static JsonObject With(JsonObject body, string field, JsonNode? value)
    {
        if (value is null) body.Remove(field); else body[field] = value;
        return body;
    }

    private static IDictionary<string, string[]> Errors(JsonObject body) =>
        OrganisationValidator.ValidateNew(JsonDocument.Parse(body.ToJsonString()).RootElement).Errors.ToDictionary();

    [Fact]
    public void A_gp_practice_with_its_code_contacts_and_channel_is_valid_and_its_code_is_kept_in_capitals()
    {
        var validated = OrganisationValidator.ValidateNew(JsonDocument.Parse(Practice().ToJsonString()).RootElement);

        Assert.True(validated.IsValid, string.Join("; ", validated.Errors.ToDictionary().Keys));
        var practice = validated.Value!;
        Assert.Equal(("gp-practice", "A99001", "840", "DH1 9ZZ"), (practice.Type, practice.OdsCode, practice.LaCode, practice.Postcode));
        Assert.Equal("practice@example.invalid", practice.Channel!.Email);
        Assert.Single(practice.Contacts!);
    }

    [Fact]
    public void A_gp_practice_may_leave_out_its_local_authority_and_postcode() =>
        Assert.Empty(Errors(With(With(Practice(), "laCode", null), "postcode", null)));

    [Theory]
    [InlineData(null, "is required for a GP practice")]
    [InlineData("A9900", "a letter and five digits")]
    [InlineData("AB99001", "a letter and five digits")]
    [InlineData("RX1", "a letter and five digits")]
    public void A_gp_practice_needs_its_ods_code_as_a_letter_and_five_digits(string? code, string reason)
    {
        var errors = Errors(With(Practice(), "odsCode", code));

        Assert.Equal(["odsCode"], errors.Keys);
        Assert.Contains(reason, errors["odsCode"].Single());
    }

    [Fact]
    public void A_gp_practice_whose_id_is_not_its_ods_code_is_refused_naming_the_id()
    {
        var errors = Errors(With(Practice(), "id", "gp-a99002"));

        Assert.Equal(["id"], errors.Keys);
        Assert.Contains("gp-a99001", errors["id"].Single());
    }

    [Fact]
    public void Replacing_a_gp_practice_with_another_ods_code_is_refused_naming_the_code()
    {
        var body = With(With(Practice(), "id", null), "odsCode", "A99002");

        var validated = OrganisationValidator.ValidateReplacement(JsonDocument.Parse(body.ToJsonString()).RootElement, "gp-a99001");

        Assert.Equal(["odsCode"], validated.Errors.ToDictionary().Keys);
    }

    [Fact]
    public void School_and_team_fields_on_a_gp_practice_are_refused_each_by_name()
    {
        var body = Practice();
        body["urn"] = "100001";
        body["coverage"] = new JsonObject { ["gpPracticeOdsCodes"] = new JsonArray("A99001") };
        body["schoolDayStart"] = "08:45";

        Assert.Equal(["coverage", "schoolDayStart", "urn"], Errors(body).Keys.Order());
    }

    [Fact]
    public void A_real_gp_practice_cannot_take_a_code_reserved_for_the_demo_directory()
    {
        var errors = Errors(With(With(Practice(), "id", "gp-q12345"), "odsCode", "Q12345"));

        Assert.Equal(["odsCode"], errors.Keys);
        Assert.Contains("reserved for demo", errors["odsCode"].Single());
    }

    [Fact]
    public void The_demo_gp_practice_has_the_demo_code_as_its_id_and_every_demo_organisation_stays_in_the_demo_space()
    {
        var practice = Assert.Single(DemoDirectory.Organisations, o => o.Type == OrganisationTypes.GpPractice);

        Assert.Equal(("gp-q99001", DemoSpace.GpPractice, DemoSpace.La, "inbox"), (practice.Id, practice.OdsCode, practice.LaCode, practice.Channel!.Kind));
        Assert.True(DemoSpace.IsDemoId(practice.Id));
        Assert.NotEmpty(practice.Contacts!);
        Assert.All(DemoDirectory.Organisations, o => Assert.Empty(DemoSpace.Violations(o)));
    }

    [Fact]
    public void An_id_only_looks_like_a_demo_practice_when_it_is_gp_and_a_demo_code() =>
        Assert.Equal([true, false, false], new[] { "gp-q99001", "gp-a99001", "gp-quarry-lane" }.Select(DemoSpace.IsDemoId));
}
