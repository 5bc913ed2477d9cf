using NotifyHub.Domain.Directory;

namespace NotifyHub.Tests.RecipientDirectory;

public class LocalAuthorityNameTests
{
    [Fact]
    public void Every_one_of_Englands_153_local_authorities_has_a_name_under_its_three_digit_DfE_code()
    {
        Assert.Equal(153, LocalAuthorities.Codes.Count());
        Assert.All(LocalAuthorities.Codes, code => Assert.Matches("^[2-9][0-9]{2}$", code));
        Assert.Equal("County Durham", LocalAuthorities.Name("840"));
        Assert.Equal("Camden", LocalAuthorities.Name("202"));
        Assert.Equal("Bournemouth, Christchurch and Poole", LocalAuthorities.Name("839"));
        Assert.Equal("Westmorland and Furness", LocalAuthorities.Name("943"));
    }

    [Fact]
    public void The_demo_LA_is_named_as_a_demo_and_an_unknown_code_is_named_as_a_code_never_a_bare_number()
    {
        Assert.Equal("Demo local authority (synthetic)", LocalAuthorities.Name(DemoSpace.La));
        Assert.DoesNotContain(DemoSpace.La, LocalAuthorities.Codes);
        Assert.Equal("local authority 650", LocalAuthorities.Name("650"));
    }

    [Fact]
    public void Several_LAs_read_as_one_phrase()
    {
        Assert.Equal("", LocalAuthorities.Names([]));
        Assert.Equal("Rutland", LocalAuthorities.Names(["857"]));
        Assert.Equal("Rutland and Camden", LocalAuthorities.Names(["857", "202"]));
        Assert.Equal("Rutland, Camden and Demo local authority (synthetic)", LocalAuthorities.Names(["857", "202", "999"]));
    }
}
