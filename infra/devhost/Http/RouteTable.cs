using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;
using NotifyHub.DevHost.Config;

namespace NotifyHub.DevHost.Http;

/// <summary>
/// The HTTP functions' routes (routePrefix + route, ASP.NET route templates with inline constraints),
/// tried most specific first as ASP.NET routing orders them.
/// </summary>
internal sealed class RouteTable
{
    private readonly List<Entry> _entries;

    public RouteTable(IEnumerable<HttpFunction> functions, string routePrefix, IInlineConstraintResolver constraints)
    {
        _entries = functions
            .Select(f => Entry.Create(f, f.Template(routePrefix), constraints))
            .OrderBy(e => e.Precedence)
            .ThenBy(e => e.Function.Name, StringComparer.Ordinal)
            .ToList();
    }

    public enum Outcome { NoRoute, MethodNotAllowed, Matched }

    /// <summary>The function whose route and methods match, or why none does.</summary>
    public (Outcome Outcome, HttpFunction? Function) Match(HttpContext context)
    {
        var pathMatched = false;
        foreach (var entry in _entries)
        {
            if (!entry.Matches(context)) continue;
            pathMatched = true;
            if (entry.Function.Methods is not { } methods || methods.Contains(context.Request.Method, StringComparer.OrdinalIgnoreCase))
                return (Outcome.Matched, entry.Function);
        }
        return (pathMatched ? Outcome.MethodNotAllowed : Outcome.NoRoute, null);
    }

    private sealed record Entry(
        HttpFunction Function, TemplateMatcher Matcher, decimal Precedence, IReadOnlyList<(string Name, IRouteConstraint Constraint)> Constraints)
    {
        public static Entry Create(HttpFunction function, string template, IInlineConstraintResolver resolver)
        {
            var pattern = RoutePatternFactory.Parse(template);
            var routeTemplate = new RouteTemplate(pattern);
            var constraints = new List<(string, IRouteConstraint)>();
            foreach (var parameter in pattern.Parameters)
            {
                foreach (var policy in parameter.ParameterPolicies)
                {
                    if (policy.Content is not { } content) continue;
                    var constraint = resolver.ResolveConstraint(content)
                        ?? throw new DevHostConfigurationException(
                            $"{function.Name}/function.json: route '{function.Route}' uses the unknown constraint '{content}'.");
                    constraints.Add((parameter.Name, constraint));
                }
            }
            var defaults = new RouteValueDictionary(pattern.Defaults);
            return new Entry(function, new TemplateMatcher(routeTemplate, defaults), RoutePrecedence.ComputeInbound(routeTemplate), constraints);
        }

        public bool Matches(HttpContext context)
        {
            var values = new RouteValueDictionary();
            if (!Matcher.TryMatch(context.Request.Path, values)) return false;
            return Constraints.All(c => c.Constraint.Match(context, null, c.Name, values, RouteDirection.IncomingRequest));
        }
    }
}
