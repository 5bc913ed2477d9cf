using System.Buffers.Text;
using System.Text;

namespace NotifyHub.Storage;

/// <summary>
/// The one form of paging token the API gives out: the table SDK's continuation token
/// (<c>{nextPartitionKey} {nextRowKey}</c>) as base64url, so that it is opaque and safe in a query string.
/// </summary>
public static class ContinuationToken
{
    private const int MaxLength = 2000;

    public static string? Encode(string? tableToken) => tableToken is null ? null : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(tableToken));

    /// <summary>The table token inside <paramref name="token"/>, or false when it is not one this API gave out.</summary>
    public static bool TryDecode(string token, out string tableToken)
    {
        tableToken = "";
        if (token.Length is 0 or > MaxLength || !Base64Url.IsValid(token)) return false;
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Base64Url.DecodeFromChars(token));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return false;
        }
        var space = text.IndexOf(' ');
        if (space <= 0 || text.IndexOf(' ', space + 1) >= 0 || text.Any(c => c < 0x21 && c != ' ' || c > 0x7e)) return false;
        tableToken = text;
        return true;
    }
}
