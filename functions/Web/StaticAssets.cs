using System.Collections.Frozen;
using System.IO.Compression;
using System.Security.Cryptography;

namespace NotifyHub.Web;

/// <summary>
/// What <c>/assets/…</c> serves: the pages' stylesheet (the GOV.UK Design System, compiled at build from
/// <c>Web/site.scss</c>), govuk-frontend's script and images, Chart.js, the pages' own scripts and the API reference's
/// script (Scalar, from the Scalar.AspNetCore package). All embedded in the assembly at build; nothing is fetched from
/// anywhere else. <see cref="Verify"/> runs at start-up, so a build that lost one fails there, not in a reader's browser.
/// </summary>
public static class StaticAssets
{
    public sealed record Asset(string Path, string ContentType, byte[] Body, bool Gzipped, string ETag)
    {
        private readonly Lazy<byte[]> _plain = new(() => Gzipped ? Decompress(Body) : Body);

        /// <summary>The body as plain bytes (a gzipped asset decompressed once), for a client that does not accept gzip.</summary>
        public byte[] Plain => _plain.Value;
    }

    private static readonly Lazy<FrozenDictionary<string, Asset>> All = new(Load);

    /// <summary>The asset at <paramref name="path"/> (relative to <c>/assets/</c>), or null.</summary>
    public static Asset? Find(string? path) => path is not null && All.Value.TryGetValue(path, out var asset) ? asset : null;

    /// <summary>Every asset's URL path, for pages and tests.</summary>
    public static IEnumerable<string> Paths => All.Value.Keys;

    /// <summary>Throws naming what is missing when an asset the pages link to is not in the build.</summary>
    public static void Verify()
    {
        string[] required = ["site.css", "govuk-frontend.min.js", "chart.umd.min.js", "dashboard.js", "scalar.js", "api-reference.js", "images/favicon.ico", "images/favicon.svg"];
        var missing = required.Where(p => !All.Value.ContainsKey(p)).ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException($"The page assets {string.Join(", ", missing)} are missing from the build: run `npm ci` in the repository root and build again.");
    }

    private static FrozenDictionary<string, Asset> Load()
    {
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        var own = typeof(StaticAssets).Assembly;
        const string prefix = "NotifyHub.Web.";
        foreach (var resource in own.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var name = resource[prefix.Length..];
            var path = name.StartsWith("images.", StringComparison.Ordinal) ? "images/" + name["images.".Length..] : name;
            Add(assets, path, Read(own, resource)!, gzipped: false);
        }
        // Scalar.AspNetCore embeds its standalone bundle gzipped; it is served as it is to clients that accept gzip.
        if (Read(typeof(Scalar.AspNetCore.ScalarOptions).Assembly, "ScalarStaticAssets.scalar.js", optional: true) is { } scalar) Add(assets, "scalar.js", scalar, gzipped: true);
        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static void Add(Dictionary<string, Asset> assets, string path, byte[] body, bool gzipped) =>
        assets[path] = new Asset(path, ContentType(path), body, gzipped, "\"" + Convert.ToHexStringLower(SHA256.HashData(body))[..32] + "\"");

    private static byte[] Decompress(byte[] gzipped)
    {
        using var input = new GZipStream(new MemoryStream(gzipped), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>An embedded resource's bytes (null when <paramref name="optional"/> and absent): the one way the app reads one.</summary>
    public static byte[]? Read(System.Reflection.Assembly assembly, string resource, bool optional = false)
    {
        using var stream = assembly.GetManifestResourceStream(resource);
        if (stream is null) return optional ? null : throw new InvalidOperationException($"The embedded resource {resource} is missing.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string ContentType(string path) => System.IO.Path.GetExtension(path) switch
    {
        ".css" => "text/css; charset=utf-8",
        ".js" or ".mjs" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        ".ico" => "image/x-icon",
        ".woff2" => "font/woff2",
        _ => "application/octet-stream",
    };
}
