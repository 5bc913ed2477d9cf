using System.Text.Json;

namespace NotifyHub.TestWorker;

/// <summary>
/// What each function saw, one JSON line per invocation in <c>{RecordFolder}/{function}.jsonl</c>
/// (an app setting the test chooses), so a test can read exactly what the host delivered.
/// </summary>
public static class Recorder
{
    private static readonly Lock Gate = new();

    public static void Write(string function, object entry)
    {
        var folder = Environment.GetEnvironmentVariable("RecordFolder")
            ?? throw new InvalidOperationException("The RecordFolder app setting is not set.");
        Directory.CreateDirectory(folder);
        var line = JsonSerializer.Serialize(entry, JsonSerializerOptions.Web) + "\n";
        lock (Gate) File.AppendAllText(Path.Combine(folder, function + ".jsonl"), line);
    }
}
