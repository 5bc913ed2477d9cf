using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NotifyHub.Domain.Incidents;

namespace NotifyHub.Domain.Routing;

/// <summary>
/// The key under which the hub counts a child's earlier incidents (domain.md, "Cumulative risk"),
/// without ever storing an identifier in clear: 64 lower-case hex characters of
/// HMAC-SHA256(hmacKey, text), safe as a Table Storage key. The hashed text is the strongest
/// identifier the child has, tagged with its kind so kinds never collide:
/// <list type="bullet">
/// <item><c>nhs:</c> + the ten digits of the NHS number (the consistent child identifier);</item>
/// <item>else <c>ppr:</c> + FORCE + ':' + the police person reference, both trimmed and upper-cased —
/// references are unique only within a force, so the same reference from two forces is two children;</item>
/// <item>else <c>nd:</c> + normalised given name + '|' + normalised family name + '|' + yyyy-MM-dd
/// date of birth (see <see cref="NormaliseName"/>).</item>
/// </list>
/// An unborn child is keyed by NHS number or police reference only, never by name and due date:
/// names are usually absent and due dates move. With neither, it has no key (null) and no history.
/// </summary>
public static class ChildIdentity
{
    public const int MinimumKeyBytes = 32;

    public static string? Key(Child child, string forceCode, byte[] hmacKey) =>
        Keys(child, forceCode, hmacKey).FirstOrDefault();

    /// <summary>
    /// Every key the child can be matched by, strongest first. Recording an incident under all of them
    /// lets a later incident that carries only a weaker identifier still find the child's history.
    /// </summary>
    public static IReadOnlyList<string> Keys(Child child, string forceCode, byte[] hmacKey)
    {
        ArgumentNullException.ThrowIfNull(hmacKey);
        if (hmacKey.Length < MinimumKeyBytes)
            throw new ArgumentException($"The child-identity HMAC key must be at least {MinimumKeyBytes} bytes.", nameof(hmacKey));
        return [.. IdentifyingTexts(child, forceCode).Select(text => Hash(text, hmacKey))];
    }

    /// <summary>The texts that are hashed, strongest first. Internal: these are identifiers in clear.</summary>
    internal static IEnumerable<string> IdentifyingTexts(Child child, string forceCode)
    {
        if (child.NhsNumber is { } nhsText && NhsNumber.Normalise(nhsText) is { } nhs)
            yield return "nhs:" + nhs;
        if (!string.IsNullOrWhiteSpace(child.PolicePersonReference) && !string.IsNullOrWhiteSpace(forceCode))
            yield return "ppr:" + forceCode.Trim().ToUpperInvariant() + ":" + child.PolicePersonReference.Trim().ToUpperInvariant();
        if (!child.IsUnborn && child.DateOfBirth is { } dob
            && NormaliseName(child.GivenName) is { Length: > 0 } given && NormaliseName(child.FamilyName) is { Length: > 0 } family)
            yield return "nd:" + given + "|" + family + "|" + dob.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Lower-cased, Latin diacritics removed (é → e, ß → ss, Ø → o), apostrophes dropped (O'Neil →
    /// oneil), any other non-letter-or-digit treated as a space (Smith-Jones = Smith Jones), spaces
    /// trimmed and collapsed. The app runs in invariant globalization mode, where
    /// <see cref="string.Normalize()"/> does not decompose, so Latin letters are folded from a
    /// table and combining marks are dropped; other scripts are kept, lower-cased.
    /// </summary>
    public static string NormaliseName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return "";
        var text = new StringBuilder(name.Length);
        var pendingSpace = false;
        foreach (var raw in name.ToLowerInvariant())
        {
            if (raw is '\'' or '\u2019' or '\u2018' or '`') continue;
            if (CharUnicodeInfo.GetUnicodeCategory(raw) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
                or UnicodeCategory.EnclosingMark) continue;
            if (!char.IsLetterOrDigit(raw))
            {
                pendingSpace = text.Length > 0;
                continue;
            }
            if (pendingSpace) text.Append(' ');
            pendingSpace = false;
            text.Append(Fold(raw));
        }
        return text.ToString();
    }

    private static string Hash(string text, byte[] key) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text)));

    private static readonly Dictionary<char, string> Folds = BuildFolds();

    private static string Fold(char c) => Folds.TryGetValue(c, out var folded) ? folded : c.ToString();

    private static Dictionary<char, string> BuildFolds()
    {
        // Lower-case Latin-1 Supplement and Latin Extended-A letters (plus Romanian comma-below s and t),
        // grouped by the base letter they fold to.
        var groups = new (string Letters, string Base)[]
        {
            ("àáâãäåāăą", "a"), ("æ", "ae"), ("çćĉċč", "c"), ("ďđð", "d"), ("èéêëēĕėęě", "e"),
            ("ĝğġģ", "g"), ("ĥħ", "h"), ("ìíîïĩīĭįı", "i"), ("ĳ", "ij"), ("ĵ", "j"), ("ķ", "k"),
            ("ĺļľŀł", "l"), ("ñńņňŉ", "n"), ("òóôõöøōŏő", "o"), ("œ", "oe"), ("ŕŗř", "r"),
            ("śŝşšșſ", "s"), ("ß", "ss"), ("ţťŧț", "t"), ("þ", "th"), ("ùúûüũūŭůűų", "u"), ("ŵ", "w"),
            ("ýÿŷ", "y"), ("źżž", "z"),
        };
        var folds = new Dictionary<char, string>();
        foreach (var (letters, letterBase) in groups)
            foreach (var letter in letters) folds[letter] = letterBase;
        return folds;
    }
}
