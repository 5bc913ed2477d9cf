using System.Text.Json;

namespace NotifyHub.Domain.Validation;

/// <summary>
/// What a JSON body must be before its fields are read: every property name and every string valid Unicode
/// (no invalid UTF-8, no lone surrogate, raw or escaped), and no property given twice in one object — a
/// parser keeps the last of two, so one body could otherwise carry, say, two different force codes. Each
/// fault is recorded at its path (<c>children[0].givenName</c>), so the answer names the field.
/// </summary>
public static class JsonText
{
    public static void Check(JsonElement element, FieldErrors errors) => Check(element, "", errors);

    private static void Check(JsonElement element, string path, FieldErrors errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                var index = 0;
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        errors.Add(path.Length == 0 ? "$" : path, $"property {index} has a name that is not valid Unicode text");
                        index++;
                        continue;
                    }
                    var child = path.Length == 0 ? name : path + "." + name;
                    if (!names.Add(name)) errors.Add(child, "appears more than once in the same object");
                    else Check(property.Value, child, errors);
                    index++;
                }
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray()) Check(item, $"{(path.Length == 0 ? "$" : path)}[{i++}]", errors);
                break;
            case JsonValueKind.String:
                try
                {
                    _ = element.GetString();
                }
                catch (InvalidOperationException)
                {
                    errors.Add(path.Length == 0 ? "$" : path, "is not valid Unicode text (invalid UTF-8 or a lone surrogate)");
                }
                break;
        }
    }

    /// <summary>
    /// Parses an uploaded JSON file that must be an object: the document, or null with the error named at <c>$</c>
    /// (not JSON, or not an object: <paramref name="objectReason"/>).
    /// </summary>
    public static JsonDocument? ParseObject(ReadOnlySpan<byte> utf8Json, FieldErrors errors, string objectReason)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json.ToArray());
        }
        catch (JsonException)
        {
            errors.Add("$", "is not valid JSON");
            return null;
        }
        if (document.RootElement.ValueKind == JsonValueKind.Object) return document;
        document.Dispose();
        errors.Add("$", objectReason);
        return null;
    }
}
