using System.Collections.Frozen;
using System.Text;

namespace NotifyHub.Domain.Directory;

/// <summary>
/// The names of England's local authorities by their DfE code (the three-digit "LA (code)" of Get Information about
/// Schools and of every partnership's <c>laCodes</c>), from <c>local-authorities.csv</c> beside this file: public
/// reference data, the 153 LAs as they stand since the April 2023 reorganisations (Cumberland, Westmorland and Furness,
/// North Yorkshire, Somerset). The demo LAs (<see cref="DemoSpace.La"/>, <see cref="DemoSpace.FrontDoorLa"/>) are named as the demos they are. Every page or email
/// that names an LA asks here.
/// </summary>
public static class LocalAuthorities
{
    public const string DemoName = "Demo local authority (synthetic)";
    public const string FrontDoorDemoName = "Demo local authority with a front door (synthetic)";

    private static readonly Lazy<FrozenDictionary<string, string>> Table = new(Load);

    /// <summary>The LA's name; an unknown code as "local authority {code}", so a page never shows a bare number.</summary>
    public static string Name(string code) =>
        code == DemoSpace.La ? DemoName : code == DemoSpace.FrontDoorLa ? FrontDoorDemoName : Table.Value.TryGetValue(code, out var name) ? name : $"local authority {code}";

    /// <summary>The names of several LAs as one phrase: "Camden, Islington and Hackney".</summary>
    public static string Names(IEnumerable<string> codes)
    {
        var names = codes.Select(Name).ToList();
        return names.Count switch
        {
            0 => "",
            1 => names[0],
            _ => string.Join(", ", names.Take(names.Count - 1)) + " and " + names[^1],
        };
    }

    /// <summary>Every code in the table (for tests and checks).</summary>
    public static IEnumerable<string> Codes => Table.Value.Keys;

    private static FrozenDictionary<string, string> Load()
    {
        const string resource = "NotifyHub.Domain.Directory.local-authorities.csv";
        using var stream = typeof(LocalAuthorities).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded resource {resource} is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        reader.ReadLine(); // la_code,name
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            var comma = line.IndexOf(',');
            var name = line[(comma + 1)..];
            names.Add(line[..comma], name.StartsWith('"') ? name[1..^1].Replace("\"\"", "\"") : name);
        }
        return names.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
