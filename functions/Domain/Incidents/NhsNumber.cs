namespace NotifyHub.Domain.Incidents;

public static class NhsNumber
{
    /// <summary>
    /// Normalises an NHS number (digits, optionally grouped by spaces) to its ten digits, or null
    /// when it is not ten digits or its modulus-11 check digit is wrong.
    /// </summary>
    public static string? Normalise(string value)
    {
        var digits = value.Replace(" ", "", StringComparison.Ordinal);
        if (digits.Length != 10 || !digits.All(char.IsAsciiDigit)) return null;
        var sum = 0;
        for (var i = 0; i < 9; i++) sum += (digits[i] - '0') * (10 - i);
        var check = 11 - (sum % 11);
        if (check == 11) check = 0;
        if (check == 10) return null; // no valid number has this remainder
        return check == digits[9] - '0' ? digits : null;
    }
}
