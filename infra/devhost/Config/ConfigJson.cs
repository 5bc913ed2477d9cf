using System.Text.Json;

namespace NotifyHub.DevHost.Config;

internal static class ConfigJson
{
    // The host reads host.json and function.json leniently: comments and trailing commas are fine.
    public static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Reads a host.json or function.json file, or says which file is not valid JSON.</summary>
    public static JsonDocument ParseFile(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllText(path), DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new DevHostConfigurationException($"{path} is not valid JSON: {e.Message}", e);
        }
    }

    public static JsonElement? Property(this JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object) return null;
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase)) return property.Value;
        }
        return null;
    }

    public static string? String(this JsonElement element, string name) =>
        element.Property(name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    public static bool? Bool(this JsonElement element, string name) =>
        element.Property(name) switch
        {
            { ValueKind: JsonValueKind.True } => true,
            { ValueKind: JsonValueKind.False } => false,
            { ValueKind: JsonValueKind.String } s when bool.TryParse(s.GetString(), out var b) => b,
            _ => null,
        };
}
