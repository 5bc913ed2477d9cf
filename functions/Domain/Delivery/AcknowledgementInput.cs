using System.Text.Json;
using NotifyHub.Domain.Validation;

namespace NotifyHub.Domain.Delivery;

/// <summary>Who is acknowledging: a person's name and role at the recipient (e.g. "Designated Safeguarding Lead").</summary>
public sealed record AcknowledgedBy(string Name, string Role);

/// <summary>Reads an acknowledgement: <c>{"acknowledgedBy":{"name":"…","role":"…"}}</c> from the API, or the page's form fields.</summary>
public static class AcknowledgementInput
{
    public const int MaxLength = 100;

    public static Validated<AcknowledgedBy> Validate(JsonElement body)
    {
        var errors = new FieldErrors();
        var f = JsonFields.Object(body, "", errors);
        if (f is null) return new(null, errors);
        var by = f.Nested("acknowledgedBy", required: true, Read);
        f.RefuseUnknownFields();
        return errors.Any || by is null ? new(null, errors) : new(by, errors);
    }

    /// <summary>The page's form: fields <c>name</c> and <c>role</c>, each required, trimmed, at most 100 characters, no control characters.</summary>
    public static Validated<AcknowledgedBy> ValidateForm(string? name, string? role)
    {
        var errors = new FieldErrors();
        var n = Check("name", name, errors);
        var r = Check("role", role, errors);
        return errors.Any ? new(null, errors) : new(new AcknowledgedBy(n!, r!), errors);
    }

    private static AcknowledgedBy? Read(JsonFields f)
    {
        var name = f.String("name", MaxLength, required: true);
        var role = f.String("role", MaxLength, required: true);
        return name is null || role is null ? null : new AcknowledgedBy(name, role);
    }

    private static string? Check(string field, string? value, FieldErrors errors)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed)) errors.Add(field, "is required");
        else if (trimmed.Length > MaxLength) errors.Add(field, $"must be at most {MaxLength} characters");
        else if (trimmed.Any(char.IsControl)) errors.Add(field, "must not contain control characters");
        else return trimmed;
        return null;
    }
}
