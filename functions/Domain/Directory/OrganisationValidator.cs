using System.Text.Json;
using System.Text.RegularExpressions;
using NotifyHub.Domain.Validation;

namespace NotifyHub.Domain.Directory;

public static partial class OrganisationValidator
{
    /// <summary>Validates a new organisation as an administrator posts it.</summary>
    public static Validated<Organisation> ValidateNew(JsonElement body)
    {
        var errors = new FieldErrors();
        var f = JsonFields.Object(body, "", errors);
        if (f is null) return new(null, errors);
        var id = f.String("id", 64, required: true, IdPattern(), "must be 2 to 64 lower-case letters, digits or '-'");
        var type = f.String("type", 40, required: true);
        var name = f.String("name", 200, required: true);
        var forceCode = f.String("forceCode", 10, required: false, ForceCodePattern(), "must be 2 to 10 capital letters or digits");
        var laCode = f.String("laCode", 3, required: false, LaCodePattern(), "must be a three-digit DfE local authority code");
        f.RefuseUnknownFields();

        if (type is not null && !OrganisationTypes.All.Contains(type))
            f.Fail("type", "must be one of: " + string.Join(", ", OrganisationTypes.All));
        if (type == OrganisationTypes.PoliceForce && forceCode is null && !f.Failed("forceCode"))
            f.Fail("forceCode", "is required for a police force");
        if (type is not null && type != OrganisationTypes.PoliceForce && forceCode is not null)
            f.Fail("forceCode", "is only for police forces");

        return errors.Any ? new(null, errors) : new(new Organisation(id!, type!, name!, Active: true, ForceCode: forceCode, LaCode: laCode), errors);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,63}$")] private static partial Regex IdPattern();
    [GeneratedRegex("^[A-Z0-9]{2,10}$")] private static partial Regex ForceCodePattern();
    [GeneratedRegex(@"^\d{3}$")] private static partial Regex LaCodePattern();
}
