using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NotifyHub.Domain.Evidence;

/// <summary>
/// The JSON Canonicalization Scheme (RFC 8785) for the values evidence holds: objects with members sorted by their names'
/// UTF-16 code units, no white space, strings escaped only where JSON requires it (<c>\"</c>, <c>\\</c>, <c>\b \f \n \r \t</c>,
/// other control characters as <c>\u00xx</c>), whole numbers in decimal, <c>true</c>, <c>false</c>, <c>null</c> and arrays.
/// A number with a fraction or an exponent is refused: evidence never holds one, so meeting one means the input is not ours.
/// Any JCS library gives the same bytes (docs/evidence.md).
/// </summary>
public static class CanonicalJson
{
    public static byte[] Bytes(JsonNode? node)
    {
        var text = new StringBuilder();
        Write(text, node);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public static string Text(JsonNode? node) => Encoding.UTF8.GetString(Bytes(node));

    private static void Write(StringBuilder text, JsonNode? node)
    {
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject o:
                text.Append('{');
                var first = true;
                foreach (var (name, value) in o.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first) text.Append(',');
                    first = false;
                    String(text, name);
                    text.Append(':');
                    Write(text, value);
                }
                text.Append('}');
                break;
            case JsonArray a:
                text.Append('[');
                for (var i = 0; i < a.Count; i++)
                {
                    if (i > 0) text.Append(',');
                    Write(text, a[i]);
                }
                text.Append(']');
                break;
            case JsonValue v:
                Value(text, v);
                break;
        }
    }

    private static void Value(StringBuilder text, JsonValue v)
    {
        switch (v.GetValueKind())
        {
            case JsonValueKind.String:
                String(text, v.GetValue<string>());
                break;
            case JsonValueKind.True:
                text.Append("true");
                break;
            case JsonValueKind.False:
                text.Append("false");
                break;
            case JsonValueKind.Null:
                text.Append("null");
                break;
            case JsonValueKind.Number:
                if (!v.TryGetValue<long>(out var whole) && !(v.TryGetValue<int>(out var small) && (whole = small) == small)
                    && !(v.TryGetValue<JsonElement>(out var e) && e.TryGetInt64(out whole)))
                    throw new FormatException("Evidence holds whole numbers only; found " + v.ToJsonString() + ".");
                if (v.TryGetValue<JsonElement>(out var raw) && raw.GetRawText() != whole.ToString(CultureInfo.InvariantCulture))
                    throw new FormatException("Evidence holds whole numbers written plainly; found " + raw.GetRawText() + ".");
                text.Append(whole.ToString(CultureInfo.InvariantCulture));
                break;
            default:
                throw new FormatException("Not a JSON value evidence holds: " + v.ToJsonString() + ".");
        }
    }

    private static void String(StringBuilder text, string s)
    {
        text.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case < ' ': text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: text.Append(c); break;
            }
        }
        text.Append('"');
    }
}
