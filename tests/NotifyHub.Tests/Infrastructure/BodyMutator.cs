using System.Text;
using System.Text.Json.Nodes;

namespace NotifyHub.Tests.Infrastructure;

/// <summary>One mutated request body, and whether the mutation is invalid by construction (whatever the field).</summary>
public sealed record Mutation(string Description, byte[] Body, bool DefinitelyInvalid);

/// <summary>
/// Mutates a valid JSON body, one fault per mutation: properties removed, added or duplicated, values of the
/// wrong type, strings too long or holding control characters, invalid Unicode (raw invalid UTF-8 or an escaped
/// lone surrogate), digits from other scripts, dates at the edges of what .NET represents, truncation, deep
/// nesting. Deterministic for a seed.
/// </summary>
public sealed class BodyMutator(JsonObject valid, int seed)
{
    private const string LoneSurrogate = "__LONE_SURROGATE__";
    private const string InvalidUtf8 = "__INVALID_UTF8__";
    private readonly Random _random = new(seed);

    private static readonly string[] OddStrings =
    [
        "", " ", "٨٤٠", "１００００１", "৯৯", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59-14:00", "0001-01-01", "9999-12-31",
        "-0", "1e309", "NaN", "null", "\u202Eevil", "😀😀", "Ω", "a\u0301", "ǅ", "0x10", "00000000000000000000000000",
    ];

    public Mutation Next()
    {
        var body = (JsonObject)valid.DeepClone();
        var nodes = Nodes(body, "").ToList();
        var (path, node) = nodes[_random.Next(nodes.Count)];
        switch (_random.Next(12))
        {
            case 0:
                return Remove(body, path, node);
            case 1:
                return Replace(body, path, node, WrongType(node), $"{path} of the wrong type", definitelyInvalid: path.Length > 0);
            case 2:
                return Replace(body, path, node, null, $"{path} null", definitelyInvalid: false);
            case 3:
                var objects = nodes.Where(n => n.Node is JsonObject).Prepend(("$", body)).ToList();
                var target = objects[_random.Next(objects.Count)];
                ((JsonObject)target.Node).Add("unexpected" + _random.Next(1000), "value");
                return Serialize(body, $"unknown property in {target.Path}", true);
            case 4:
                return StringMutation(body, nodes, JsonValue.Create(new string('x', 10_000)), "too long", true);
            case 5:
                return StringMutation(body, nodes, JsonValue.Create("a\u0001b"), "a control character", true);
            case 6:
                return StringMutation(body, nodes, JsonValue.Create("x" + LoneSurrogate + "y"), "a lone surrogate", true);
            case 7:
                return StringMutation(body, nodes, JsonValue.Create("x" + InvalidUtf8 + "y"), "invalid UTF-8", true);
            case 8:
                return StringMutation(body, nodes, JsonValue.Create(OddStrings[_random.Next(OddStrings.Length)]), "an odd string", false);
            case 9:
                var text = body.ToJsonString();
                var cut = _random.Next(1, text.Length - 1);
                return new Mutation($"truncated at {cut}", Encoding.UTF8.GetBytes(text[..cut]), true);
            case 10:
                var duplicated = body.First();
                var json = body.ToJsonString();
                var copy = $"\"{duplicated.Key}\":{duplicated.Value?.ToJsonString() ?? "null"},";
                return new Mutation($"{duplicated.Key} twice", Encoding.UTF8.GetBytes("{" + copy + json[1..]), true);
            default:
                JsonNode deep = JsonValue.Create(1)!;
                for (var i = 0; i < 40; i++) deep = new JsonArray(deep);
                body["deep"] = deep;
                return Serialize(body, "nested 40 deep", true);
        }
    }

    /// <summary>Every path of a JSON tree, as the hub names fields: <c>a.b</c>, <c>children[0].givenName</c>.</summary>
    public static IEnumerable<string> PathsOf(JsonNode? node, string path = "")
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    var child = path.Length == 0 ? name : path + "." + name;
                    yield return child;
                    foreach (var deeper in PathsOf(value, child)) yield return deeper;
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var child = $"{path}[{i}]";
                    yield return child;
                    foreach (var deeper in PathsOf(array[i], child)) yield return deeper;
                }
                break;
        }
    }

    private Mutation Remove(JsonObject body, string path, JsonNode node)
    {
        if (node.Parent is JsonObject parent) parent.Remove(node.GetPropertyName());
        else if (node.Parent is JsonArray array) array.Remove(node);
        return Serialize(body, $"{path} removed", false);
    }

    private Mutation Replace(JsonObject body, string path, JsonNode node, JsonNode? replacement, string description, bool definitelyInvalid)
    {
        if (node.Parent is JsonObject parent) parent[node.GetPropertyName()] = replacement;
        else if (node.Parent is JsonArray array) array[array.IndexOf(node)] = replacement;
        else return Serialize(new JsonObject(), "empty object", definitelyInvalid: false);
        return Serialize(body, description, definitelyInvalid);
    }

    private Mutation StringMutation(JsonObject body, List<(string Path, JsonNode Node)> nodes, JsonNode? value, string what, bool definitelyInvalid)
    {
        var strings = nodes.Where(n => n.Node is JsonValue v && v.TryGetValue<string>(out _)).ToList();
        if (strings.Count == 0) return Serialize(body, "unchanged", false);
        var (path, node) = strings[_random.Next(strings.Count)];
        return Replace(body, path, node, value, $"{path} with {what}", definitelyInvalid);
    }

    private JsonNode? WrongType(JsonNode node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out _) => _random.Next(3) switch { 0 => JsonValue.Create(42), 1 => JsonValue.Create(true), _ => new JsonArray() },
        JsonValue v when v.TryGetValue<bool>(out _) => JsonValue.Create("yes"),
        JsonValue => JsonValue.Create("seven"),
        JsonArray => JsonValue.Create("a list"),
        _ => JsonValue.Create(17),
    };

    private static Mutation Serialize(JsonObject body, string description, bool definitelyInvalid)
    {
        var text = body.ToJsonString().Replace(LoneSurrogate, "\\ud800", StringComparison.Ordinal);
        var bytes = Encoding.UTF8.GetBytes(text).ToList();
        var marker = Encoding.UTF8.GetBytes(InvalidUtf8);
        for (var i = IndexOf(bytes, marker); i >= 0; i = IndexOf(bytes, marker))
        {
            bytes.RemoveRange(i, marker.Length);
            bytes.InsertRange(i, [0xC3, 0x28, 0xFF]);
        }
        return new Mutation(description, bytes.ToArray(), definitelyInvalid);
    }

    private static int IndexOf(List<byte> haystack, byte[] needle)
    {
        for (var i = 0; i <= haystack.Count - needle.Length; i++)
        {
            var match = true;
            for (var j = 0; j < needle.Length && match; j++) match = haystack[i + j] == needle[j];
            if (match) return i;
        }
        return -1;
    }

    private static IEnumerable<(string Path, JsonNode Node)> Nodes(JsonNode node, string path)
    {
        if (path.Length > 0) yield return (path, node);
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    if (value is null) continue;
                    foreach (var n in Nodes(value, path.Length == 0 ? name : path + "." + name)) yield return n;
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } item)
                        foreach (var n in Nodes(item, $"{path}[{i}]")) yield return n;
                }
                break;
        }
    }
}
