using NotifyHub.Domain.Incidents;

namespace NotifyHub.Tests.Ingest;

public class NhsNumberTests
{
    [Theory]
    [InlineData("9434765919", "9434765919")]
    [InlineData("943 476 5919", "9434765919")]
    [InlineData("4010232137", "4010232137")]
    public void A_number_with_a_correct_check_digit_is_normalised_to_ten_digits(string input, string expected) =>
        Assert.Equal(expected, NhsNumber.Normalise(input));

    [Theory]
    [InlineData("9434765918")] // wrong check digit
    [InlineData("943476591")] // nine digits
    [InlineData("94347659190")] // eleven digits
    [InlineData("94347659I9")] // a letter
    [InlineData("1000000010")] // remainder 1: check digit would be 10, so no number is valid
    public void A_malformed_number_or_wrong_check_digit_is_refused(string input) =>
        Assert.Null(NhsNumber.Normalise(input));
}
