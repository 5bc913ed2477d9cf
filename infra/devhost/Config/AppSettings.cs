using System.Text.Json;
using System.Text.RegularExpressions;

namespace NotifyHub.DevHost.Config;

/// <summary>
/// The app settings the host would have: local.settings.json's Values, then the caller's settings.
/// <c>%Name%</c> references resolve against these, then against the DevHost's own environment,
/// as the host's name resolver reads app settings and environment alike.
/// </summary>
internal sealed partial class AppSettings
{
    private readonly Dictionary<string, string?> _values;

    public AppSettings(IReadOnlyDictionary<string, string?> values) =>
        _values = new Dictionary<string, string?>(values, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyDictionary<string, string?> Values => _values;

    public static AppSettings Load(string scriptRoot, IReadOnlyDictionary<string, string?> overrides)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var path = Path.Combine(scriptRoot, "local.settings.json");
        if (File.Exists(path))
        {
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(path), ConfigJson.DocumentOptions);
                if (doc.RootElement.TryGetProperty("Values", out var section) && section.ValueKind == JsonValueKind.Object)
                {
                    foreach (var setting in section.EnumerateObject())
                    {
                        values[setting.Name] = setting.Value.ValueKind == JsonValueKind.String
                            ? setting.Value.GetString()
                            : setting.Value.GetRawText();
                    }
                }
            }
            catch (JsonException e)
            {
                throw new DevHostConfigurationException($"{path} is not valid JSON: {e.Message}", e);
            }
        }

        foreach (var (name, value) in overrides) values[name] = value;
        return new AppSettings(values);
    }

    public string? Get(string name) =>
        _values.TryGetValue(name, out var value) ? value : Environment.GetEnvironmentVariable(name);

    /// <summary>Replaces every <c>%Name%</c>; an unknown name is a start-up error naming <paramref name="where"/>.</summary>
    public string Expand(string value, string where) =>
        Reference().Replace(value, match =>
            Get(match.Groups["name"].Value)
            ?? throw new DevHostConfigurationException(
                $"{where} refers to app setting '%{match.Groups["name"].Value}%', which is not set " +
                "(add it to local.settings.json Values, the environment, or DevHostOptions.AppSettings)."));

    [GeneratedRegex(@"%(?<name>[A-Za-z_][A-Za-z0-9_.:\-]*)%")]
    private static partial Regex Reference();
}
