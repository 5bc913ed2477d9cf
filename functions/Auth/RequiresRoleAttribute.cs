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
