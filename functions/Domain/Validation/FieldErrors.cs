namespace NotifyHub.Domain.Validation;

/// <summary>Every bad field of one request, keyed by its path (e.g. <c>children[0].nhsNumber</c>).</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string path, string reason)
    {
        if (!_errors.TryGetValue(path, out var reasons)) _errors[path] = reasons = [];
        if (!reasons.Contains(reason)) reasons.Add(reason);
    }

    public bool Has(string path) => _errors.ContainsKey(path);

    public IDictionary<string, string[]> ToDictionary() =>
        _errors.OrderBy(e => e.Key, StringComparer.Ordinal).ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}

/// <summary>The outcome of validating input: a value, or the errors that prevent one.</summary>
public sealed record Validated<T>(T? Value, FieldErrors Errors) where T : class
{
    public bool IsValid => Value is not null && !Errors.Any;
}
