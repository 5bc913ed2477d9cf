using System.Text.Json;
using System.Text.RegularExpressions;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Validation;

namespace NotifyHub.Domain.FrontDoor;

/// <summary>
/// Reads what a relay decides about a held share, from the API or the review page's form:
/// <c>{"releasedBy":{"name","role"},"note","remove":[field…]}</c> and
/// <c>{"withheldBy":{"name","role"},"reason","newSchoolUrn"}</c>.
/// </summary>
public static partial class FrontDoorInput
{
    public const int MaxNoteLength = 2000;

    /// <param name="recipientType">The share's recipient type: only the fields it is sent may be taken out.</param>
    public static Validated<ReleaseInput> ValidateRelease(JsonElement body, string recipientType)
    {
        var errors = new FieldErrors();
        var f = JsonFields.Object(body, "", errors);
        if (f is null) return new(null, errors);
        var by = f.Nested("releasedBy", required: true, ReadPerson);
        var note = f.String("note", MaxNoteLength, required: false);
        var remove = f.Strings("remove", required: false, maxItems: 50, maxLength: 60, s => s, FieldName(), "must be a field name, such as child.whatChildSaid") ?? [];
        f.RefuseUnknownFields();
        CheckRemoved(remove, recipientType, i => $"remove[{i}]", errors);
        return errors.Any || by is null ? new(null, errors) : new(new ReleaseInput(by, note, remove), errors);
    }

    public static Validated<WithholdInput> ValidateWithhold(JsonElement body)
    {
        var errors = new FieldErrors();
        var f = JsonFields.Object(body, "", errors);
        if (f is null) return new(null, errors);
        var by = f.Nested("withheldBy", required: true, ReadPerson);
        var reason = f.String("reason", 60, required: true);
        var urn = f.String("newSchoolUrn", 6, required: false, Urn(), "must be a 6-digit DfE URN");
        f.RefuseUnknownFields();
        CheckWithhold(reason, urn, errors, "reason", "newSchoolUrn");
        return errors.Any || by is null || reason is null ? new(null, errors) : new(new WithholdInput(by, reason, urn), errors);
    }

    /// <summary>The review page's release form: <c>name</c>, <c>role</c>, <c>note</c> and a <c>remove</c> checkbox per field.</summary>
    public static Validated<ReleaseInput> ValidateReleaseForm(string? name, string? role, string? note, IReadOnlyList<string> remove, string recipientType)
    {
        var person = AcknowledgementInput.ValidateForm(name, role);
        var errors = person.Errors;
        var trimmed = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (trimmed is { Length: > MaxNoteLength }) errors.Add("note", $"must be at most {MaxNoteLength} characters");
        else if (trimmed is not null && trimmed.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'))) errors.Add("note", "must not contain control characters");
        CheckRemoved(remove, recipientType, _ => "remove", errors);
        return errors.Any ? new(null, errors) : new(new ReleaseInput(person.Value!, trimmed, remove.Distinct(StringComparer.Ordinal).ToList()), errors);
    }

    /// <summary>The review page's withhold form: <c>name</c>, <c>role</c>, <c>reason</c> and <c>newSchoolUrn</c>.</summary>
    public static Validated<WithholdInput> ValidateWithholdForm(string? name, string? role, string? reason, string? newSchoolUrn)
    {
        var person = AcknowledgementInput.ValidateForm(name, role);
        var errors = person.Errors;
        var why = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        var urn = string.IsNullOrWhiteSpace(newSchoolUrn) ? null : newSchoolUrn.Trim();
        if (why is null) errors.Add("reason", "is required");
        if (urn is not null && !Urn().IsMatch(urn)) errors.Add("newSchoolUrn", "must be a 6-digit DfE URN");
        else CheckWithhold(why, urn, errors, "reason", "newSchoolUrn");
        return errors.Any ? new(null, errors) : new(new WithholdInput(person.Value!, why!, urn), errors);
    }

    private static void CheckWithhold(string? reason, string? urn, FieldErrors errors, string reasonField, string urnField)
    {
        if (reason is not null && !WithholdReasons.All.Contains(reason))
            errors.Add(reasonField, $"must be one of {string.Join(", ", WithholdReasons.All)}");
        else if (urn is not null && reason != WithholdReasons.ChildMovedSchool)
            errors.Add(urnField, $"is only for reason {WithholdReasons.ChildMovedSchool}");
    }

    private static void CheckRemoved(IReadOnlyList<string> remove, string recipientType, Func<int, string> path, FieldErrors errors)
    {
        for (var i = 0; i < remove.Count; i++)
        {
            if (FrontDoorChanges.RemoveProblem(remove[i], recipientType) is { } problem) errors.Add(path(i), problem);
        }
    }

    private static AcknowledgedBy? ReadPerson(JsonFields f)
    {
        var name = f.String("name", AcknowledgementInput.MaxLength, required: true);
        var role = f.String("role", AcknowledgementInput.MaxLength, required: true);
        return name is null || role is null ? null : new AcknowledgedBy(name, role);
    }

    [GeneratedRegex(@"^[a-z]+(\.[a-zA-Z0-9]+)?$|^[a-z][a-zA-Z0-9]*$")] private static partial Regex FieldName();
    [GeneratedRegex(@"^[0-9]{6}$")] private static partial Regex Urn();
}
