using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Options;
using NotifyHub.Delivery;
using NotifyHub.Domain.Delivery;
using NotifyHub.Hosting;

namespace NotifyHub.Auth;

/// <summary>
/// Authentication and authorisation for every HTTP function, in one place: the <c>X-Api-Key</c>
/// names the caller (401 when missing or unknown), and the function's <see cref="RequiresRoleAttribute"/>
/// says whether that caller's role may run it (403 otherwise). The function itself then reads the
/// caller with <c>HttpContext.Caller()</c> and applies the rules about its own organisation.
/// </summary>
public sealed class ApiKeyMiddleware(ApiKeyAuthentication authentication, IOptions<DeliveryOptions> delivery, TimeProvider time) : IFunctionsWorkerMiddleware
{
    private static readonly ConcurrentDictionary<string, bool> LinkByEntryPoint = new();

    private static readonly ConcurrentDictionary<string, IReadOnlyList<string>> RolesByEntryPoint = new();

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (!context.IsHttpFunction())
        {
            await next(context);
            return;
        }
        var http = context.GetHttpContext() ?? throw new InvalidOperationException("An HTTP function has no HttpContext.");
        if (IsPublic(context.FunctionDefinition.EntryPoint))
        {
            await next(context);
            return;
        }
        if (TakesLink(context.FunctionDefinition.EntryPoint))
        {
            var token = context.BindingContext.BindingData.TryGetValue("token", out var value) ? value?.ToString() : null;
            if (LinkToken.Verify(delivery.Value.LinkVerificationKeys(), token, time.GetUtcNow()) is not { } grant)
            {
                context.GetInvocationResult().Value = Web.LinkPages.NotValid(http, LinkKindOf(context.FunctionDefinition.EntryPoint));
                return;
            }
            http.Features.Set(grant);
            await next(context);
            return;
        }
        var caller = await authentication.AuthenticateAsync(http.Request, http.RequestAborted);
        if (caller is null)
        {
            context.GetInvocationResult().Value = Problems.Unauthorized($"Send a valid API key in the {ApiKeyAuthentication.Header} header.");
            return;
        }
        if (caller.ExpiresAt is { } expires && expires <= time.GetUtcNow())
        {
            context.GetInvocationResult().Value = Problems.Unauthorized(
                $"This API key expired at {Domain.UkTime.Format(expires)}. Ask the hub's administrators for a new one.");
            return;
        }
        var roles = RolesOf(context.FunctionDefinition.EntryPoint);
        if (!roles.Contains(caller.Role, StringComparer.Ordinal))
        {
            context.GetInvocationResult().Value = Problems.Forbidden("This API key's organisation may not call this endpoint.");
            return;
        }
        http.Features.Set(caller);
        await next(context);
    }

    /// <summary>What a notification link that does not open says, whatever the reason: forged, expired or revoked look the same.</summary>
    public const string LinkNotValid = "This link is not valid: it may have expired or been revoked. Your organisation can still read and acknowledge the notification through its NotifyHub inbox, or ask the hub's administrators.";

    private static readonly ConcurrentDictionary<string, bool> PublicByEntryPoint = new();

    /// <summary>Whether a function is open to anyone (<see cref="PublicAttribute"/>).</summary>
    public static bool IsPublic(string entryPoint) =>
        PublicByEntryPoint.GetOrAdd(entryPoint, static name => Method(name)?.GetCustomAttribute<PublicAttribute>() is not null);

    private static MethodInfo? Method(string entryPoint)
    {
        var dot = entryPoint.LastIndexOf('.');
        return dot > 0 ? typeof(ApiKeyMiddleware).Assembly.GetType(entryPoint[..dot])?.GetMethod(entryPoint[(dot + 1)..]) : null;
    }

    /// <summary>Whether a function is opened by an email link (<see cref="RequiresLinkAttribute"/>).</summary>
    public static bool TakesLink(string entryPoint) =>
        LinkByEntryPoint.GetOrAdd(entryPoint, static name => Method(name)?.GetCustomAttribute<RequiresLinkAttribute>() is not null);

    /// <summary>What a link function's link opens (<see cref="RequiresLinkAttribute.Kind"/>).</summary>
    public static LinkKind LinkKindOf(string entryPoint) => Method(entryPoint)?.GetCustomAttribute<RequiresLinkAttribute>()?.Kind ?? LinkKind.Notification;

    /// <summary>The roles a function's <c>[Function]</c> method admits (none when it declares none), from its entry point <c>Namespace.Type.Method</c>.</summary>
    public static IReadOnlyList<string> RolesOf(string entryPoint) =>
        RolesByEntryPoint.GetOrAdd(entryPoint, static name => Method(name)?.GetCustomAttribute<RequiresRoleAttribute>()?.Roles ?? []);
}
