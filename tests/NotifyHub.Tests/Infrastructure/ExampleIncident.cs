using System.Text.Json.Nodes;

namespace NotifyHub.Tests.Infrastructure;

/// <summary>The README's synthetic example incident (docs/examples/incident.json), as a mutable JSON tree.</summary>
public static class ExampleIncident
{
    /// <summary>The clock the example's timestamps are plausible against: shortly after the incident.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    public static JsonObject Load() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "examples", "incident.json")))!.AsObject();

    /// <summary>The example under another force and reference, with fresh timestamps relative to <paramref name="now"/>.</summary>
    public static JsonObject For(string forceCode, string reference, DateTimeOffset now)
    {
        var incident = Load();
        incident["forceCode"] = forceCode;
        incident["incidentReference"] = reference;
        incident["occurredAt"] = now.AddMinutes(-50).ToString("yyyy-MM-ddTHH:mm:ssZ");
        incident["reportedAt"] = now.AddMinutes(-45).ToString("yyyy-MM-ddTHH:mm:ssZ");
        incident["attendedAt"] = now.AddMinutes(-10).ToString("yyyy-MM-ddTHH:mm:ssZ");
        return incident;
    }

    /// <summary>
    /// Gives the example's children names and police references of their own, and no NHS number,
    /// so that the hub's cumulative-risk matching does not link them to other tests' incidents.
    /// </summary>
    public static JsonObject WithUniqueChildren(this JsonObject incident)
    {
        foreach (var child in incident["children"]!.AsArray())
        {
            var tag = new string(Guid.NewGuid().ToString("N").Where(char.IsAsciiLetter).Take(6).ToArray());
            child!["givenName"] = "Synthetic" + tag;
            child["policePersonReference"] = "P-" + Guid.NewGuid().ToString("N")[..12];
            child.AsObject().Remove("nhsNumber");
        }
        return incident;
    }

    /// <summary>Sets (or with a null value, removes) the value at a dotted path such as <c>children[0].nhsNumber</c>.</summary>
    public static JsonObject With(this JsonObject incident, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        JsonNode node = incident;
        foreach (var part in parts[..^1]) node = Step(node, part)!;
        var last = parts[^1];
        if (value is null) node.AsObject().Remove(last);
        else node.AsObject()[last] = value;
        return incident;
    }

    private static JsonNode? Step(JsonNode node, string part)
    {
        var bracket = part.IndexOf('[');
        if (bracket < 0) return node[part];
        var index = int.Parse(part[(bracket + 1)..^1]);
        return node[part[..bracket]]![index];
    }
}
