using System.Text;
using NotifyHub.Domain.Incidents;
using NotifyHub.Domain.Routing;
using static NotifyHub.Tests.Routing.RoutingFixtures;

namespace NotifyHub.Tests.Routing;

public class ChildIdentityTests
{
    private static readonly byte[] HmacKey = Encoding.ASCII.GetBytes("synthetic-test-key-0123456789abcdef");
    private static readonly byte[] OtherKey = Encoding.ASCII.GetBytes("another-synthetic-key-0123456789ab");

    private static Child Alex => Example().Children[0]; // NHS 9434765919, P-SYN-0001, Alex Example, 2016-03-02

    private static string Key(Child child, string force = "DUR", byte[]? key = null) =>
        ChildIdentity.Key(child, force, key ?? HmacKey) ?? throw new InvalidOperationException("no key");

    [Fact]
    public void The_same_NHS_number_written_with_different_spacing_gives_the_same_key()
    {
        Assert.Equal(Key(Alex with { NhsNumber = "943 476 5919" }), Key(Alex with { NhsNumber = "9434765919" }));
    }

    [Fact]
    public void A_different_HMAC_key_gives_a_different_key()
    {
        Assert.NotEqual(Key(Alex), Key(Alex, key: OtherKey));
    }

    [Fact]
    public void The_NHS_number_beats_the_police_reference_which_beats_name_and_date_of_birth()
    {
        var sameNhs = Alex with { PolicePersonReference = "P-SYN-9999", GivenName = "Other", DateOfBirth = new DateOnly(2017, 1, 1) };
        var sameReference = Alex with { NhsNumber = null, GivenName = "Other", DateOfBirth = new DateOnly(2017, 1, 1) };
        var sameNameAndBirth = Alex with { NhsNumber = null, PolicePersonReference = "" };

        Assert.Equal(Key(Alex), Key(sameNhs));
        Assert.Equal(Key(Alex with { NhsNumber = null }), Key(sameReference));
        Assert.NotEqual(Key(Alex), Key(Alex with { NhsNumber = null }));
        Assert.Equal(Key(Alex with { NhsNumber = null, PolicePersonReference = "" }), Key(sameNameAndBirth with { GivenName = " ALEX " }));
        Assert.NotEqual(Key(Alex with { NhsNumber = null }), Key(sameNameAndBirth));
    }

    [Fact]
    public void A_child_is_keyed_by_every_identifier_it_has_strongest_first()
    {
        var keys = ChildIdentity.Keys(Alex, "DUR", HmacKey);

        Assert.Equal(3, keys.Count);
        Assert.Equal(Key(Alex), keys[0]);
        Assert.Equal(Key(Alex with { NhsNumber = null }), keys[1]);
        Assert.Equal(Key(Alex with { NhsNumber = null, PolicePersonReference = "" }), keys[2]);
    }

    [Fact]
    public void Each_key_is_the_HMAC_SHA256_of_its_documented_text_so_only_the_holder_of_the_HMAC_key_can_link_it_to_a_child()
    {
        // Computed here independently of ChildIdentity, from the documented texts: a change of format would start
        // every child's history afresh, and a key that was not keyed by the secret would be a hash anyone can invert
        // by trying every NHS number.
        static string Hmac(string text) => Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(HmacKey, Encoding.UTF8.GetBytes(text)));
        string[] expected = [Hmac("nhs:9434765919"), Hmac("ppr:DUR:P-SYN-0001"), Hmac("nd:alex|example|2016-03-02")];

        Assert.Equal(expected, ChildIdentity.Keys(Alex, "DUR", HmacKey));
        Assert.All(expected, key => Assert.NotEqual(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes("nhs:9434765919"))), key));
    }

    [Fact]
    public void The_same_police_reference_from_two_forces_is_two_children()
    {
        var child = Alex with { NhsNumber = null };
        Assert.NotEqual(Key(child, "DUR"), Key(child, "NYP"));
        Assert.Equal(Key(child, "DUR"), Key(child with { PolicePersonReference = " p-syn-0001 " }, " dur"));
    }

    [Fact]
    public void Identifier_kinds_never_collide_even_when_their_values_are_equal()
    {
        var byNhs = Alex;
        var byReference = Alex with { NhsNumber = null, PolicePersonReference = "9434765919" };

        Assert.NotEqual(Key(byNhs), Key(byReference, force: ""));
        Assert.NotEqual(Key(byNhs), Key(byReference));
    }

    [Theory]
    [InlineData("Zoë", "zoe")]
    [InlineData("Zoe\u0308", "zoe")]
    [InlineData("  ZOË   ", "zoe")]
    [InlineData("O'Brien", "obrien")]
    [InlineData("O’Brien", "obrien")]
    [InlineData("Smith-Jones", "smith jones")]
    [InlineData("Smith   Jones", "smith jones")]
    [InlineData("Łucja Wójcik", "lucja wojcik")]
    [InlineData("Strauß", "strauss")]
    [InlineData("Ærøskøbing", "aeroskobing")]
    [InlineData("Ștefan", "stefan")]
    [InlineData("", "")]
    public void Names_are_normalised_across_case_spacing_diacritics_and_punctuation(string name, string normalised)
    {
        Assert.Equal(normalised, ChildIdentity.NormaliseName(name));
    }

    [Fact]
    public void Names_differing_only_in_case_spacing_and_diacritics_give_the_same_name_and_birth_key()
    {
        var first = Alex with { NhsNumber = null, PolicePersonReference = "", GivenName = "Zoë", FamilyName = "Smith-Jones" };
        var second = first with { GivenName = "  ZOE ", FamilyName = "smith  jones" };

        Assert.Equal(Key(first), Key(second));
        Assert.NotEqual(Key(first), Key(second with { DateOfBirth = new DateOnly(2016, 3, 3) }));
    }

    [Fact]
    public void An_unborn_child_is_keyed_by_police_reference_only_and_with_none_has_no_key()
    {
        var unborn = Unborn() with { GivenName = "Unnamed", FamilyName = "Example" };

        Assert.Single(ChildIdentity.Keys(unborn, "DUR", HmacKey));
        Assert.Equal(Key(unborn), Key(Unborn()));
        Assert.Null(ChildIdentity.Key(unborn with { PolicePersonReference = "" }, "DUR", HmacKey));
    }

    [Fact]
    public void A_short_HMAC_key_is_refused()
    {
        Assert.Throws<ArgumentException>(() => ChildIdentity.Key(Alex, "DUR", new byte[16]));
    }
}

public class RiskHistoryTests
{
    private static readonly DateTimeOffset Incident = new(2026, 11, 24, 21, 40, 0, TimeSpan.Zero);

    [Fact]
    public void Earlier_incidents_in_the_preceding_12_months_are_counted()
    {
        DateTimeOffset[] earlier = [Incident.AddDays(-1), Incident.AddMonths(-6), Incident.AddDays(-364), Incident.AddDays(-400)];

        Assert.Equal(3, RiskHistory.CountPrior(earlier, Incident));
    }

    [Fact]
    public void The_window_starts_exactly_one_calendar_year_before_and_excludes_this_incident_and_later_ones()
    {
        DateTimeOffset[] times = [Incident.AddYears(-1), Incident.AddYears(-1).AddTicks(-1), Incident, Incident.AddMinutes(1)];

        Assert.Equal(1, RiskHistory.CountPrior(times, Incident));
    }

    [Fact]
    public void Instants_in_different_offsets_are_compared_as_instants()
    {
        var sameInstantInBst = Incident.ToOffset(TimeSpan.FromHours(1));

        Assert.Equal(0, RiskHistory.CountPrior([sameInstantInBst], Incident));
        Assert.Equal(1, RiskHistory.CountPrior([sameInstantInBst.AddSeconds(-1)], Incident));
    }

    [Fact]
    public void No_earlier_incidents_count_as_zero()
    {
        Assert.Equal(0, RiskHistory.CountPrior([], Incident));
    }
}
