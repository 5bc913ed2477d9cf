using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace NotifyHub.Domain.Validation;

/// <summary>
/// Reads the fields of one JSON object, recording a reason for every field that is missing, of the
/// wrong type, too long or malformed, so that a caller hears about every bad field at once rather
/// than the first one a deserializer trips on. Unknown fields are refused: police systems must not
/// send more personal data than the hub has a place for.
/// </summary>
public sealed partial class JsonFields
{
    private readonly JsonElement _object;
    private readonly string _path;
    private readonly FieldErrors _errors;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private JsonFields(JsonElement obj, string path, FieldErrors errors)
    {
        _object = obj;
        _path = path;
        _errors = errors;
    }

    /// <summary>Starts reading <paramref name="element"/> as an object; null (with an error) if it is not one.</summary>
    public static JsonFields? Object(JsonElement element, string path, FieldErrors errors)
    {
        if (element.ValueKind == JsonValueKind.Object) return new JsonFields(element, path, errors);
        errors.Add(path.Length == 0 ? "$" : path, "must be a JSON object");
        return null;
    }

    public string PathOf(string name) => _path.Length == 0 ? name : _path + "." + name;

    /// <summary>Records every property that no reader asked for. Call after reading all known fields.</summary>
    public void RefuseUnknownFields()
    {
        foreach (var property in _object.EnumerateObject())
        {
            if (!_read.Contains(property.Name)) _errors.Add(PathOf(property.Name), "is not a known field");
        }
    }

    public string? String(string name, int maxLength, bool required, Regex? pattern = null, string? patternReason = null)
    {
        var element = Get(name, required);
        if (element is null) return null;
        if (element.Value.ValueKind != JsonValueKind.String)
        {
            _errors.Add(PathOf(name), "must be a string");
            return null;
        }
        var value = element.Value.GetString()!.Trim();
        if (value.Length == 0)
        {
            if (required) _errors.Add(PathOf(name), "is required");
            return null;
        }
        if (value.Length > maxLength)
        {
            _errors.Add(PathOf(name), $"must be at most {maxLength} characters");
            return null;
        }
        if (value.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            _errors.Add(PathOf(name), "must not contain control characters");
            return null;
        }
        if (pattern is not null && !pattern.IsMatch(value))
        {
            _errors.Add(PathOf(name), patternReason ?? "has the wrong format");
            return null;
        }
        return value;
    }

    public bool? Boolean(string name, bool required)
    {
        var element = Get(name, required);
        if (element is null) return null;
        if (element.Value.ValueKind is JsonValueKind.True or JsonValueKind.False) return element.Value.GetBoolean();
        _errors.Add(PathOf(name), "must be true or false");
        return null;
    }

    public TEnum? Enum<TEnum>(string name, bool required) where TEnum : struct, Enum
    {
        var allowed = System.Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant()).ToArray();
        var text = String(name, 40, required);
        if (text is null) return null;
        if (System.Enum.TryParse<TEnum>(text, ignoreCase: true, out var value) && allowed.Contains(text.ToLowerInvariant()))
        {
            return value;
        }
        _errors.Add(PathOf(name), "must be one of: " + string.Join(", ", allowed));
        return null;
    }

    /// <summary>The earliest and latest dates any field accepts: far wider than any real incident or person, far inside what date arithmetic can reach.</summary>
    public static readonly DateOnly Earliest = new(1900, 1, 1);
    public static readonly DateOnly Latest = new(2199, 12, 31);

    /// <summary>An instant with an explicit UTC offset (ISO 8601); a local time without offset is ambiguous and refused.</summary>
    public DateTimeOffset? Instant(string name, bool required)
    {
        var text = String(name, 40, required);
        if (text is null) return null;
        if (!OffsetPattern().IsMatch(text) ||
            !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            _errors.Add(PathOf(name), "must be an ISO 8601 date and time with a UTC offset, e.g. 2026-11-24T21:40:00Z");
            return null;
        }
        if (DateOnly.FromDateTime(value.UtcDateTime) is var day && (day < Earliest || day > Latest))
        {
            _errors.Add(PathOf(name), $"must be between {Earliest:yyyy-MM-dd} and {Latest:yyyy-MM-dd}");
            return null;
        }
        return value;
    }

    public DateOnly? Date(string name, bool required)
    {
        var text = String(name, 10, required);
        if (text is null) return null;
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            _errors.Add(PathOf(name), "must be a date in the form yyyy-MM-dd");
            return null;
        }
        if (value < Earliest || value > Latest)
        {
            _errors.Add(PathOf(name), $"must be between {Earliest:yyyy-MM-dd} and {Latest:yyyy-MM-dd}");
            return null;
        }
        return value;
    }

    /// <summary>An array of objects, each read by <paramref name="readItem"/>; items that fail to read are left out.</summary>
    public IReadOnlyList<T>? Array<T>(string name, bool required, int minItems, int maxItems, Func<JsonFields, T?> readItem)
        where T : class
    {
        var element = Get(name, required);
        if (element is null)
        {
            if (required && !_errors.Has(PathOf(name))) _errors.Add(PathOf(name), "is required");
            return null;
        }
        if (element.Value.ValueKind != JsonValueKind.Array)
        {
            _errors.Add(PathOf(name), "must be an array");
            return null;
        }
        var length = element.Value.GetArrayLength();
        if (length < minItems) _errors.Add(PathOf(name), $"must have at least {minItems} item{(minItems == 1 ? "" : "s")}");
        if (length > maxItems)
        {
            _errors.Add(PathOf(name), $"must have at most {maxItems} items");
            return null;
        }
        var items = new List<T>(length);
        var index = 0;
        foreach (var item in element.Value.EnumerateArray())
        {
            var fields = Object(item, $"{PathOf(name)}[{index}]", _errors);
            if (fields is not null)
            {
                var value = readItem(fields);
                fields.RefuseUnknownFields();
                if (value is not null) items.Add(value);
            }
            index++;
        }
        return items;
    }

    /// <summary>A nested object read by <paramref name="read"/>.</summary>
    public T? Nested<T>(string name, bool required, Func<JsonFields, T?> read) where T : class
    {
        var element = Get(name, required);
        if (element is null) return null;
        var fields = Object(element.Value, PathOf(name), _errors);
        if (fields is null) return null;
        var value = read(fields);
        fields.RefuseUnknownFields();
        return value;
    }

    /// <summary>A whole number within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int? Integer(string name, bool required, int min, int max)
    {
        var element = Get(name, required);
        if (element is null) return null;
        if (element.Value.ValueKind == JsonValueKind.Number && element.Value.TryGetInt32(out var value) && value >= min && value <= max)
        {
            return value;
        }
        _errors.Add(PathOf(name), $"must be a whole number from {min} to {max}");
        return null;
    }

    /// <summary>
    /// An array of strings, each trimmed, normalised by <paramref name="normalise"/> and matched against
    /// <paramref name="pattern"/>; bad items are named by index and left out, duplicates are dropped.
    /// </summary>
    public IReadOnlyList<string>? Strings(string name, bool required, int maxItems, int maxLength, Func<string, string> normalise, Regex pattern, string patternReason)
    {
        var element = Get(name, required);
        if (element is null) return null;
        if (element.Value.ValueKind != JsonValueKind.Array)
        {
            _errors.Add(PathOf(name), "must be an array of strings");
            return null;
        }
        if (element.Value.GetArrayLength() > maxItems)
        {
            _errors.Add(PathOf(name), $"must have at most {maxItems} items");
            return null;
        }
        var items = new List<string>();
        var index = 0;
        foreach (var item in element.Value.EnumerateArray())
        {
            var path = $"{PathOf(name)}[{index++}]";
            if (item.ValueKind != JsonValueKind.String) { _errors.Add(path, "must be a string"); continue; }
            var value = normalise(item.GetString()!.Trim());
            if (value.Length == 0 || value.Length > maxLength || !pattern.IsMatch(value)) { _errors.Add(path, patternReason); continue; }
            if (!items.Contains(value)) items.Add(value);
        }
        return items;
    }

    /// <summary>An array of whole numbers within [<paramref name="min"/>, <paramref name="max"/>]; bad items are named by index, duplicates dropped.</summary>
    public IReadOnlyList<int>? Integers(string name, bool required, int maxItems, int min, int max)
    {
        var element = Get(name, required);
        if (element is null) return null;
        if (element.Value.ValueKind != JsonValueKind.Array)
        {
            _errors.Add(PathOf(name), "must be an array of whole numbers");
            return null;
        }
        if (element.Value.GetArrayLength() > maxItems)
        {
            _errors.Add(PathOf(name), $"must have at most {maxItems} items");
            return null;
        }
        var items = new List<int>();
        var index = 0;
        foreach (var item in element.Value.EnumerateArray())
        {
            var path = $"{PathOf(name)}[{index++}]";
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var value) || value < min || value > max)
            {
                _errors.Add(path, max < min ? "must not be given: there is nothing to refer to" : $"must be a whole number from {min} to {max}");
                continue;
            }
            if (!items.Contains(value)) items.Add(value);
        }
        return items;
    }

    public void Fail(string name, string reason) => _errors.Add(PathOf(name), reason);

    public bool Failed(string name) => _errors.Has(PathOf(name));

    private JsonElement? Get(string name, bool required)
    {
        _read.Add(name);
        if (_object.TryGetProperty(name, out var element) && element.ValueKind != JsonValueKind.Null) return element;
        if (required) _errors.Add(PathOf(name), "is required");
        return null;
    }

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,7})?)?(Z|[+-][0-9]{2}:[0-9]{2})$")]
    private static partial Regex OffsetPattern();
}
