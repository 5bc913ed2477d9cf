using System.Text.Json.Nodes;

namespace NotifyHub.Tests.Infrastructure;

/// <summary>The committed development settings (functions/local.settings.json) that every test hub runs with.</summary>
public static class LocalSettings
{
    public static string Value(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.FunctionsSource, "local.settings.json")))!["Values"]![name]!.GetValue<string>();
}
