using NotifyHub.Domain.Directory;

namespace NotifyHub.Tests.RecipientDirectory;

public class DirectoryIndexKeysTests
{
    private static readonly Coverage DurhamCoverage = new(["A99001", "A99002"], ["DH1"]);

    private static Organisation Org(string type, string? urn = null, string? la = "840", Coverage? coverage = null, bool active = true) =>
        new("org-1", type, "Synthetic", active, Urn: urn, LaCode: la, Coverage: coverage);

    [Theory]
    [InlineData(OrganisationTypes.School, "100001")]
    [InlineData(OrganisationTypes.EarlyYearsSetting, "EY123456")]
    public void Schools_and_early_years_settings_are_found_by_urn_only(string type, string urn) =>
        Assert.Equal([new DirectoryKey(type, DirectoryKey.Urn, urn)], DirectoryIndexKeys.Of(Org(type, urn: urn, la: "840")));

    [Theory]
    [InlineData(OrganisationTypes.HealthVisitingTeam)]
    [InlineData(OrganisationTypes.SchoolNursingTeam)]
    public void Health_visiting_and_school_nursing_teams_are_found_by_each_gp_practice_and_postcode_district_they_cover(string type) =>
        Assert.Equal(
            [new DirectoryKey(type, "gp", "A99001"), new DirectoryKey(type, "gp", "A99002"), new DirectoryKey(type, "postcode-district", "DH1")],
            DirectoryIndexKeys.Of(Org(type, coverage: DurhamCoverage)));

    [Fact]
    public void Midwifery_teams_are_found_by_coverage_and_by_local_authority() =>
        Assert.Equal(
            [new DirectoryKey("midwifery-team", "gp", "A99001"), new DirectoryKey("midwifery-team", "gp", "A99002"),
             new DirectoryKey("midwifery-team", "postcode-district", "DH1"), new DirectoryKey("midwifery-team", "la", "840")],
            DirectoryIndexKeys.Of(Org(OrganisationTypes.MidwiferyTeam, coverage: DurhamCoverage)));

    [Theory]
    [InlineData(OrganisationTypes.NpsSpoc)]
    [InlineData(OrganisationTypes.CrcSpoc)]
    [InlineData(OrganisationTypes.YosTeam)]
    [InlineData(OrganisationTypes.Mash)]
    [InlineData(OrganisationTypes.MaracCoordinator)]
    [InlineData(OrganisationTypes.LaEducationSafeguardingTeam)]
    [InlineData(OrganisationTypes.PartnershipLead)]
    public void Local_authority_teams_are_found_by_local_authority(string type) =>
        Assert.Equal([new DirectoryKey(type, DirectoryKey.La, "840")], DirectoryIndexKeys.Of(Org(type)));

    [Fact]
    public void Nps_and_crc_spocs_are_never_found_by_each_others_keys() =>
        Assert.DoesNotContain(new DirectoryKey(OrganisationTypes.CrcSpoc, "la", "840"), DirectoryIndexKeys.Of(Org(OrganisationTypes.NpsSpoc)));

    [Fact]
    public void A_police_force_is_not_a_routing_recipient() =>
        Assert.Empty(DirectoryIndexKeys.Of(Org(OrganisationTypes.PoliceForce)));

    [Fact]
    public void An_inactive_organisation_is_found_by_nothing() =>
        Assert.Empty(DirectoryIndexKeys.Of(Org(OrganisationTypes.MidwiferyTeam, coverage: DurhamCoverage, active: false)));

    [Fact]
    public void A_team_without_a_local_authority_or_coverage_has_no_keys()
    {
        Assert.Empty(DirectoryIndexKeys.Of(Org(OrganisationTypes.Mash, la: null)));
        Assert.Empty(DirectoryIndexKeys.Of(Org(OrganisationTypes.HealthVisitingTeam, coverage: null)));
    }

    [Fact]
    public void Keys_are_in_capitals_so_that_routing_may_ask_in_any_case() =>
        Assert.Equal(new DirectoryKey("health-visiting-team", "postcode-district", "DH1"),
            DirectoryIndexKeys.Normalise(new DirectoryKey("health-visiting-team", "postcode-district", " dh1 ")));
}
