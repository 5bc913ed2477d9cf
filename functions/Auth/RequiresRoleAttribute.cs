namespace NotifyHub.Auth;

/// <summary>
/// Which callers may run an HTTP function: keys whose role is one of <see cref="Roles"/>. Every HTTP
/// function declares it on its <c>[Function]</c> method; one without it is refused to everyone.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresRoleAttribute(params string[] roles) : Attribute
{
    public IReadOnlyList<string> Roles { get; } = roles;
}

/// <summary>
/// A page opened from a link: the signed, expiring token in the route (<c>{token}</c>) is the credential, not
/// an API key. <see cref="ApiKeyMiddleware"/> checks its signature and expiry and hands the function the
/// <see cref="Domain.Delivery.LinkGrant"/>; the function checks it has not been revoked. <paramref name="kind"/> says what
/// the link opens, so that one that does not open can say what to do instead (<see cref="Web.LinkPages.NotValid"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresLinkAttribute(LinkKind kind = LinkKind.Notification) : Attribute
{
    public LinkKind Kind { get; } = kind;
}

/// <summary>What a link opens: a notification (an email link), a partnership lead's dashboard and late list, or an incident's evidence timeline.</summary>
public enum LinkKind { Notification, Dashboard, Evidence }

/// <summary>
/// Open to anyone, with no key: only for what holds no data — the landing page, the API reference, the OpenAPI document
/// and the pages' stylesheet, scripts and images.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class PublicAttribute : Attribute;
