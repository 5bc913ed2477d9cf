using System.Text.Json.Nodes;

namespace NotifyHub.Tests.Infrastructure;

/// <summary>A throw-away copy of a built function app, so a test can change its host.json or remove a file.</summary>
public static class AppCopy
{
    public static string Make(string from, string to, Action<JsonObject>? changeHostJson = null)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        if (changeHostJson is not null)
        {
            var path = Path.Combine(to, "host.json");
            var hostJson = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            changeHostJson(hostJson);
            File.WriteAllText(path, hostJson.ToJsonString());
        }
        return to;
    }
}
