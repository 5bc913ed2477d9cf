using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Http.HttpResults;
using NotifyHub.Domain.Validation;

namespace NotifyHub.Hosting;

/// <summary>Every error answer the hub gives, as RFC 9457 problem+json, made here and nowhere else.</summary>
public static class Problems
{
    public static ValidationProblem Invalid(FieldErrors errors) =>
        TypedResults.ValidationProblem(errors.ToDictionary(),
            title: "The request has invalid fields.",
            detail: "Each entry in 'errors' names a bad field and why; nothing was stored.",
            type: "https://notifyhub.example/problems/validation");

    public static ValidationProblem Invalid(string field, string reason)
    {
        var errors = new FieldErrors();
        errors.Add(field, reason);
        return Invalid(errors);
    }

    public static ProblemHttpResult Unauthorized(string detail) =>
        Problem(StatusCodes.Status401Unauthorized, "Unauthorized", detail, "unauthorized");

    /// <summary>409 naming the field whose value clashes with what is stored (in <c>errors</c>, as validation problems do).</summary>
    public static ProblemHttpResult FieldConflict(string field, string reason) =>
        FieldProblem(StatusCodes.Status409Conflict, "Conflict", "conflict", field, reason);

    /// <summary>403 naming the field whose value this caller may not use (in <c>errors</c>).</summary>
    public static ProblemHttpResult ForbiddenField(string field, string reason) =>
        FieldProblem(StatusCodes.Status403Forbidden, "Forbidden", "forbidden", field, reason);

    private static ProblemHttpResult FieldProblem(int status, string title, string type, string field, string reason) =>
        TypedResults.Problem(new ProblemDetails
        {
            Status = status,
            Title = title,
            Detail = $"{field} {reason}.",
            Type = "https://notifyhub.example/problems/" + type,
            Extensions = { ["errors"] = new Dictionary<string, string[]> { [field] = [reason] } },
        });

    /// <summary>403 for a force key naming another force's incident in the path.</summary>
    public static ProblemHttpResult OtherForce(string force, string? callersForce) =>
        ForbiddenField("force", $"is {force} in the path, but this API key belongs to force {callersForce} and can only read its incidents");

    public static ProblemHttpResult Forbidden(string detail) =>
        Problem(StatusCodes.Status403Forbidden, "Forbidden", detail, "forbidden");

    public static ProblemHttpResult NotFound(string detail) =>
        Problem(StatusCodes.Status404NotFound, "Not found", detail, "not-found");

    public static ProblemHttpResult Conflict(string detail) =>
        Problem(StatusCodes.Status409Conflict, "Conflict", detail, "conflict");

    public static ProblemHttpResult PreconditionFailed(string detail) =>
        Problem(StatusCodes.Status412PreconditionFailed, "Precondition failed", detail, "precondition-failed");

    public static ProblemHttpResult UnsupportedMediaType(string expected) =>
        Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", $"Send the body as {expected}.", "media-type");

    public static ProblemHttpResult TooLarge(long limit) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "Request body too large", $"The body must be at most {limit} bytes.", "too-large");

    public static ProblemHttpResult UnsupportedMediaType() =>
        Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send the body as application/json.", "media-type");

    public static ProblemHttpResult Unavailable(string detail) =>
        Problem(StatusCodes.Status503ServiceUnavailable, "Service unavailable", detail, "unavailable");

    public static ProblemHttpResult Unexpected(string invocationId) =>
        Problem(StatusCodes.Status500InternalServerError, "Internal error",
            $"The hub failed to handle this request; nothing was acknowledged. Quote invocation {invocationId} to the hub's operators.", "internal");

    private static ProblemHttpResult Problem(int status, string title, string detail, string type) =>
        TypedResults.Problem(detail, statusCode: status, title: title, type: "https://notifyhub.example/problems/" + type);
}
