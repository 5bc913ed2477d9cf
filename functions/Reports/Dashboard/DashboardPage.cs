using System.Text;
using System.Text.RegularExpressions;

namespace NotifyHub.Reports;

/// <summary>
/// The partnership leads' timeliness dashboard: one self-contained HTML response with Chart.js, the dashboard's
/// script and its stylesheet inlined (embedded resources; Chart.js comes from the npm package at build time), so
/// nothing is fetched from anywhere but the hub's own data endpoint. The page carries no figures: its script reads
/// them from <c>{page path}/timeliness</c>. Every inline script and style carries the response's nonce, and the
/// Content-Security-Policy allows nothing else.
/// </summary>
public static partial class DashboardPage
{
    /// <summary>
    /// The template with the assets already in place, cut at each nonce: a request only joins the pieces with its
    /// nonce. Assets are inlined into the template's literal text, never searched themselves for placeholders, so
    /// nothing inside Chart.js can be mistaken for one.
    /// </summary>
    private static readonly Lazy<string[]> Pieces = new(Build);

    /// <param name="nonce">A fresh random value per response (base64 or base64url, at least 16 characters), the
    /// same one given to <see cref="ContentSecurityPolicy"/>.</param>
    public static string Render(string nonce) => string.Join(CheckNonce(nonce), Pieces.Value);

    /// <summary>
    /// No inline script or style runs without the nonce; the data fetch may go only to the hub itself. Chart.js draws
    /// on canvas and sizes it through the CSSOM (element.style), which style-src does not govern, so it needs nothing
    /// more; <c>img-src data:</c> is there for a canvas exported as an image.
    /// </summary>
    public static string ContentSecurityPolicy(string nonce)
    {
        var n = CheckNonce(nonce);
        return $"default-src 'none'; script-src 'nonce-{n}'; style-src 'nonce-{n}'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    private static string CheckNonce(string nonce) =>
        nonce is { Length: >= 16 and <= 256 } && NonceChars().IsMatch(nonce)
            ? nonce
            : throw new ArgumentException("The nonce must be 16 to 256 base64 or base64url characters.", nameof(nonce));

    private static string[] Build()
    {
        var template = Read("dashboard.html");
        var pieces = new List<string>();
        var current = new StringBuilder();
        var at = 0;
        foreach (Match placeholder in Placeholder().Matches(template))
        {
            current.Append(template, at, placeholder.Index - at);
            at = placeholder.Index + placeholder.Length;
            var name = placeholder.Groups[1].Value;
            if (name == "nonce")
            {
                pieces.Add(current.ToString());
                current.Clear();
            }
            else current.Append(Asset(name));
        }
        current.Append(template, at, template.Length - at);
        pieces.Add(current.ToString());
        return [.. pieces];
    }

    private static string Asset(string name)
    {
        var text = Read(name);
        // Inlined, the asset ends where the parser sees a closing tag, whatever the script means by it.
        var closing = name.EndsWith(".css", StringComparison.Ordinal) ? "</style" : "</script";
        if (text.Contains(closing, StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"The dashboard asset {name} contains {closing}, which would end its inline element early.");
        // A source map named by an inline script would be looked for beside the page, under the token's path.
        return SourceMapComment().Replace(text, "");
    }

    private static string Read(string name)
    {
        var resource = $"NotifyHub.Reports.Dashboard.{name}";
        using var stream = typeof(DashboardPage).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded resource {resource} is missing from {typeof(DashboardPage).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"\{\{([A-Za-z0-9.\-]+)\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^[A-Za-z0-9+/_\-]+={0,2}$")]
    private static partial Regex NonceChars();

    [GeneratedRegex(@"^//# sourceMappingURL=\S*\s*$", RegexOptions.Multiline)]
    private static partial Regex SourceMapComment();
}
