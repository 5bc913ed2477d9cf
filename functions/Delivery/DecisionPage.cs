using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using NotifyHub.Domain;
using NotifyHub.Domain.Decisions;
using NotifyHub.Domain.Routing;
using NotifyHub.Domain.Validation;
using static NotifyHub.Web.Page;

namespace NotifyHub.Delivery;

/// <summary>
/// The MASH's decision on its incident notification's page (a MASH's incident notification only).
/// </summary>
/// <param name="Children">The incident's children (indexes) the notification lists, in the order its content lists them.</param>
/// <param name="Latest">The version that stands, if any has been recorded.</param>
/// <param name="Entered">What was typed into a form that had mistakes (null: an empty form).</param>
/// <param name="Errors">Those mistakes, by the API's field paths (<see cref="DecisionForm"/>).</param>
/// <param name="Recorded">The version this request just recorded: the page says so at the top.</param>
public sealed record DecisionSection(IReadOnlyList<int> Children, MashDecision? Latest, DecisionFormEntry? Entered = null, FieldErrors? Errors = null,
    int? Recorded = null)
{
    public bool HasErrors => Errors is { Any: true };
}

/// <summary>
/// How the page shows a MASH's decision: the latest version, and the GOV.UK form that records the next one (radios,
/// checkboxes, date inputs, a character count), each mistake named in words in the error
/// summary and beside its field, every entry kept. The form posts to the link's own address with <c>action=decide</c>
/// (<see cref="DecisionForm"/> says how it is read). Pure, like the rest of <see cref="NotificationPage"/>.
/// </summary>
public static partial class DecisionPage
{
    public const string Action = "decide";

    /// <summary>The groups of the form, in the order the page asks them, each with the id its error links to.</summary>
    private static IEnumerable<(string Group, string Anchor)> Groups()
    {
        yield return ("outcome", "outcome");
        yield return ("children", "children");
        yield return ("decided", "decided-day");
        yield return ("joint", "joint");
        yield return ("jointWith", "jointWith");
        yield return ("rationale", "rationale");
        for (var n = 1; n <= DecisionForm.StepRows; n++)
        {
            yield return ($"step-{n}-owner", $"step-{n}-owner");
            yield return ($"step-{n}-action", $"step-{n}-action");
            yield return ($"step-{n}-due", $"step-{n}-due-day");
        }
        yield return ("decide", "decide");
    }

    /// <summary>The error summary's entries for the section's mistakes: (the id it links to, the message), in the form's order.</summary>
    public static IReadOnlyList<(string FieldId, string Message)> SummaryEntries(DecisionSection section)
    {
        var byGroup = ByGroup(section);
        return [.. Groups().Where(g => byGroup.ContainsKey(g.Group)).Select(g => (g.Anchor, byGroup[g.Group]))];
    }

    /// <summary>The panel at the top of the page once a version is recorded.</summary>
    public static string Confirmation(int version) =>
        "<div class=\"govuk-panel govuk-panel--confirmation\" id=\"decision-recorded\"><h2 class=\"govuk-panel__title\">Decision recorded: version " +
        version.ToString(CultureInfo.InvariantCulture) + "</h2><div class=\"govuk-panel__body\">It is being shared with every agency involved and the police, " +
        "and each next step is on its way to its owner.</div></div>";

    public static void Append(StringBuilder main, DecisionSection section, DeliveryContent? content)
    {
        var errors = ByGroup(section);
        var entry = section.Entered ?? DecisionFormEntry.Empty;
        main.Append("<h2 class=\"govuk-heading-m\" id=\"decision\">Record the MASH's decision</h2>");
        if (section.Latest is { } latest)
        {
            main.Append("<h3 class=\"govuk-heading-s\">The latest decision</h3>").Append(SummaryList([
                ("Decision", DecisionOutcomes.All.FirstOrDefault(o => o.Code == latest.Outcome).Meaning ?? latest.Outcome),
                ("Decided", UkTime.Describe(latest.DecidedAt)),
                ("Version", $"Version {latest.Version}, recorded {UkTime.Describe(latest.RecordedAt)}"),
            ])).Append("<p class=\"govuk-body\">Recording a decision here makes a new version, version ").Append(latest.Version + 1)
                .Append(". Every version is kept and the latest stands; it is shared with every agency involved and the police again.</p>");
        }
        else
        {
            main.Append("<p class=\"govuk-body\">No decision has been recorded yet. Once it is, it is shared with every agency involved and the police, ")
                .Append("and each next step is sent to its owner. A change later is recorded as a new version.</p>");
        }

        main.Append("<form method=\"post\" novalidate class=\"app-no-print\" id=\"decide\"><input type=\"hidden\" name=\"action\" value=\"").Append(Action).Append("\">");

        AppendChoices(main, "outcome", "What did the MASH decide?", null, "radios", "outcome",
            DecisionOutcomes.All.Select(o => (o.Code, o.Meaning, (string?)null)), [entry.Outcome], errors);

        if (section.Children.Count > 0)
        {
            var listed = content?.Children;
            var children = section.Children.Select((index, i) => (index.ToString(CultureInfo.InvariantCulture), ChildName(listed, i),
                listed is not null && i < listed.Count && listed[i].DateOfBirth is { } born ? "Born " + UkTime.Describe(born) : null));
            AppendChoices(main, "children", "Which children is it about?", "Select all that apply. Select none if it is about the whole incident.",
                "checkboxes", "children", children, entry.Children, errors);
        }

        AppendDate(main, "decided", "When was it decided?", "UK time, 24-hour clock. For example, 27 11 2026 at 14 30", entry.Decided, errors, time: true);
        AppendJoint(main, entry, errors);
        AppendRationale(main, entry.Rationale, errors);

        main.Append("<h3 class=\"govuk-heading-s\">Next steps (optional)</h3><p class=\"govuk-body\">Up to ").Append(DecisionForm.StepRows)
            .Append(" here. Each goes to the organisation that owns it, which marks it done. Leave a row empty if you do not need it.</p>");
        for (var n = 1; n <= DecisionForm.StepRows; n++)
        {
            var step = n <= entry.Steps.Count ? entry.Steps[n - 1] : new StepEntry("", "", DateParts.Empty);
            main.Append("<fieldset class=\"govuk-fieldset\"><legend class=\"govuk-fieldset__legend govuk-fieldset__legend--s\">Next step ").Append(n).Append("</legend>");
            AppendInput(main, $"step-{n}-owner", "The organisation's NotifyHub id", "For example, school-999001", step.Owner, errors, "govuk-!-width-two-thirds");
            AppendInput(main, $"step-{n}-action", "What is to be done", null, step.Action, errors, "govuk-!-width-full");
            AppendDate(main, $"step-{n}-due", "Due by", "For example, 27 11 2026", step.Due, errors, time: false);
            main.Append("</fieldset>");
        }
        main.Append("<button type=\"submit\" class=\"govuk-button\" data-module=\"govuk-button\">Record the decision</button></form>");
    }

    /// <summary>Each group's mistakes as one message in words.</summary>
    private static Dictionary<string, string> ByGroup(DecisionSection section)
    {
        var byGroup = new Dictionary<string, List<(string Path, string[] Reasons)>>(StringComparer.Ordinal);
        foreach (var (path, reasons) in section.Errors?.ToDictionary() ?? new Dictionary<string, string[]>())
        {
            var group = GroupOf(path);
            if (!byGroup.TryGetValue(group, out var list)) byGroup[group] = list = [];
            list.Add((path, reasons));
        }
        return byGroup.ToDictionary(g => g.Key, g => Message(g.Key, g.Value), StringComparer.Ordinal);
    }

    private static string GroupOf(string path)
    {
        if (path is "outcome" or "joint" or "rationale") return path;
        if (path == "decidedAt") return "decided";
        if (path.StartsWith("children", StringComparison.Ordinal)) return "children";
        if (path.StartsWith("jointWith", StringComparison.Ordinal)) return "jointWith";
        if (StepPath().Match(path) is { Success: true } m && int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) is var i && i < DecisionForm.StepRows)
            return $"step-{i + 1}-" + (m.Groups[2].Value == "dueOn" ? "due" : m.Groups[2].Value);
        return "decide";
    }

    private static string Message(string group, List<(string Path, string[] Reasons)> errors)
    {
        var reasons = errors.SelectMany(e => e.Reasons).Distinct().ToList();
        var required = reasons.Contains("is required");
        string Sentence(string subject) => subject + " " + string.Join(" and ", reasons.Where(r => r != "is required").Select(Reason));
        var step = group.StartsWith("step-", StringComparison.Ordinal) ? group[5..6] : "";
        return group switch
        {
            "outcome" => required ? "Select what the MASH decided" : "Select one of the decisions listed",
            "children" => "Select only children listed on this page",
            "decided" => required ? "Enter when the decision was made" : Sentence("When the decision was made"),
            "joint" => "Select yes if the decision was made jointly with other agencies",
            "jointWith" => reasons.Any(r => r.StartsWith("is required", StringComparison.Ordinal)) ? "Select the agencies the decision was made with"
                : reasons.Any(r => r.StartsWith("must be left out", StringComparison.Ordinal))
                    ? "Leave the agencies unselected if the decision was not made jointly, or answer yes" : "Select only the agencies listed",
            "rationale" => required ? "Enter why the MASH decided this" : Sentence("Why the MASH decided this"),
            _ when group.EndsWith("-owner", StringComparison.Ordinal) => required
                ? $"Enter the NotifyHub id of the organisation that owns next step {step}" : Sentence($"The organisation for next step {step}"),
            _ when group.EndsWith("-action", StringComparison.Ordinal) => required
                ? $"Enter what is to be done for next step {step}" : Sentence($"What is to be done for next step {step}"),
            _ when group.EndsWith("-due", StringComparison.Ordinal) => required
                ? $"Enter when next step {step} is due" : Sentence($"The due date of next step {step}"),
            _ => "The form was changed before it was sent: " + string.Join("; ", errors.Select(e => e.Path + " " + string.Join(" and ", e.Reasons))),
        };
    }

    /// <summary>The API's reason as a page says it ("must be at most 4000 characters" → "must be 4,000 characters or fewer").</summary>
    private static string Reason(string reason) =>
        AtMost().Match(reason) is { Success: true } m
            ? $"must be {int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture).ToString("N0", CultureInfo.InvariantCulture)} characters or fewer"
            : reason;

    private static void AppendChoices(StringBuilder main, string name, string legend, string? hint, string kind, string group,
        IEnumerable<(string Value, string Label, string? Hint)> items, IReadOnlyList<string> chosen, IReadOnlyDictionary<string, string> errors)
    {
        var error = errors.GetValueOrDefault(group);
        main.Append("<div class=\"govuk-form-group").Append(error is null ? "" : " govuk-form-group--error").Append("\"><fieldset class=\"govuk-fieldset\"");
        AppendDescribedBy(main, group, hint, error);
        main.Append("><legend class=\"govuk-fieldset__legend govuk-fieldset__legend--s\">").Append(H(legend)).Append("</legend>");
        AppendHintAndError(main, group, hint, error);
        var css = kind == "radios" ? "govuk-radios" : "govuk-checkboxes";
        main.Append("<div class=\"").Append(css).Append("\" data-module=\"").Append(css).Append("\">");
        var first = true;
        foreach (var (value, label, itemHint) in items)
        {
            var id = first ? name : $"{name}-{value}";
            first = false;
            main.Append("<div class=\"").Append(css).Append("__item\"><input class=\"").Append(css).Append("__input\" id=\"").Append(H(id)).Append("\" name=\"")
                .Append(name).Append("\" type=\"").Append(kind == "radios" ? "radio" : "checkbox").Append("\" value=\"").Append(H(value)).Append('"');
            if (chosen.Contains(value)) main.Append(" checked");
            if (itemHint is not null) main.Append(" aria-describedby=\"").Append(H(id)).Append("-item-hint\"");
            main.Append("><label class=\"govuk-label ").Append(css).Append("__label\" for=\"").Append(H(id)).Append("\">").Append(H(label)).Append("</label>");
            if (itemHint is not null) main.Append("<div id=\"").Append(H(id)).Append("-item-hint\" class=\"govuk-hint ").Append(css).Append("__hint\">").Append(H(itemHint)).Append("</div>");
            main.Append("</div>");
        }
        main.Append("</div></fieldset></div>");
    }

    /// <summary>
    /// Whether it was decided jointly, then with whom: two questions, not GOV.UK's conditional reveal, whose script marks a
    /// radio <c>aria-expanded</c>, which ARIA does not allow on a radio (axe: aria-allowed-attr).
    /// </summary>
    private static void AppendJoint(StringBuilder main, DecisionFormEntry entry, IReadOnlyDictionary<string, string> errors)
    {
        AppendChoices(main, "joint", "Was it decided jointly with other agencies?", null, "radios", "joint",
            [("yes", "Yes", null), ("no", "No", null)], [entry.Joint.Trim()], errors);
        AppendChoices(main, "jointWith", "If it was decided jointly, which agencies was it decided with?",
            "Select all that apply. Leave them all unselected if it was not decided jointly.", "checkboxes", "jointWith",
            DecisionAgencies.All.Select(a => (a, DecisionAgencies.Words(a), (string?)null)), entry.JointWith, errors);
    }

    private static void AppendRationale(StringBuilder main, string value, IReadOnlyDictionary<string, string> errors)
    {
        var error = errors.GetValueOrDefault("rationale");
        const string hint = "The agencies involved and the police see this. Schools and early years settings do not.";
        main.Append("<div class=\"govuk-form-group govuk-character-count").Append(error is null ? "" : " govuk-form-group--error")
            .Append("\" data-module=\"govuk-character-count\" data-maxlength=\"").Append(DecisionInput.MaxRationale).Append("\">")
            .Append("<label class=\"govuk-label govuk-label--s\" for=\"rationale\">Why did the MASH decide this?</label>");
        AppendHintAndError(main, "rationale", hint, error);
        main.Append("<textarea class=\"govuk-textarea govuk-js-character-count").Append(error is null ? "" : " govuk-textarea--error")
            .Append("\" id=\"rationale\" name=\"rationale\" rows=\"8\" spellcheck=\"true\" aria-describedby=\"rationale-info rationale-hint")
            .Append(error is null ? "" : " rationale-error").Append("\">").Append(H(value)).Append("</textarea>")
            .Append("<div id=\"rationale-info\" class=\"govuk-hint govuk-character-count__message\">You can enter up to ")
            .Append(DecisionInput.MaxRationale.ToString("N0", CultureInfo.InvariantCulture)).Append(" characters</div></div>");
    }

    private static void AppendInput(StringBuilder main, string id, string label, string? hint, string value, IReadOnlyDictionary<string, string> errors, string width)
    {
        var error = errors.GetValueOrDefault(id);
        main.Append("<div class=\"govuk-form-group").Append(error is null ? "" : " govuk-form-group--error").Append("\">")
            .Append("<label class=\"govuk-label\" for=\"").Append(id).Append("\">").Append(H(label)).Append("</label>");
        AppendHintAndError(main, id, hint, error);
        main.Append("<input class=\"govuk-input ").Append(width).Append(error is null ? "" : " govuk-input--error").Append("\" id=\"").Append(id)
            .Append("\" name=\"").Append(id).Append("\" type=\"text\" spellcheck=\"false\" autocomplete=\"off\"");
        AppendDescribedBy(main, id, hint, error);
        main.Append(" value=\"").Append(H(value)).Append("\"></div>");
    }

    /// <param name="time">With hour and minute boxes (when it was decided), and the legend a question of the form's own; without, a next step's date, its legend like its row's labels.</param>
    private static void AppendDate(StringBuilder main, string group, string legend, string hint, DateParts parts, IReadOnlyDictionary<string, string> errors, bool time)
    {
        var error = errors.GetValueOrDefault(group);
        main.Append("<div class=\"govuk-form-group").Append(error is null ? "" : " govuk-form-group--error").Append("\"><fieldset class=\"govuk-fieldset\" role=\"group\"");
        AppendDescribedBy(main, group, hint, error);
        main.Append("><legend class=\"govuk-fieldset__legend").Append(time ? " govuk-fieldset__legend--s" : "").Append("\">").Append(H(legend)).Append("</legend>");
        AppendHintAndError(main, group, hint, error);
        main.Append("<div class=\"govuk-date-input\" id=\"").Append(group).Append("\">");
        IEnumerable<(string Box, string Label, string? Value, int Width)> boxes =
            [("day", "Day", parts.Day, 2), ("month", "Month", parts.Month, 2), ("year", "Year", parts.Year, 4)];
        if (time) boxes = boxes.Concat([("hour", "Hour", parts.Hour, 2), ("minute", "Minute", parts.Minute, 2)]);
        foreach (var (box, label, value, width) in boxes)
        {
            var id = $"{group}-{box}";
            main.Append("<div class=\"govuk-date-input__item\"><div class=\"govuk-form-group\"><label class=\"govuk-label govuk-date-input__label\" for=\"")
                .Append(id).Append("\">").Append(label).Append("</label><input class=\"govuk-input govuk-date-input__input govuk-input--width-").Append(width)
                .Append(error is null ? "" : " govuk-input--error").Append("\" id=\"").Append(id).Append("\" name=\"").Append(id)
                .Append("\" type=\"text\" inputmode=\"numeric\" value=\"").Append(H(value)).Append("\"></div></div>");
        }
        main.Append("</div></fieldset></div>");
    }

    private static void AppendDescribedBy(StringBuilder main, string id, string? hint, string? error)
    {
        var describedBy = string.Join(' ', new[] { hint is null ? null : id + "-hint", error is null ? null : id + "-error" }.Where(x => x is not null));
        if (describedBy.Length > 0) main.Append(" aria-describedby=\"").Append(describedBy).Append('"');
    }

    private static void AppendHintAndError(StringBuilder main, string id, string? hint, string? error)
    {
        if (hint is not null) main.Append("<div id=\"").Append(id).Append("-hint\" class=\"govuk-hint\">").Append(H(hint)).Append("</div>");
        if (error is not null)
            main.Append("<p id=\"").Append(id).Append("-error\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">Error:</span> ").Append(H(error)).Append("</p>");
    }

    private static string ChildName(IReadOnlyList<ChildContent>? listed, int i)
    {
        if (listed is null || i >= listed.Count) return $"Child {i + 1}";
        var c = listed[i];
        var name = string.Join(' ', new[] { c.GivenName, c.FamilyName }.Where(n => !string.IsNullOrWhiteSpace(n)));
        return name.Length > 0 ? name : c.ExpectedDueDate is not null ? "Unborn child" : $"Child {i + 1}";
    }

    [GeneratedRegex(@"^nextSteps\[(\d{1,3})\]\.(owner|action|dueOn)$")]
    private static partial Regex StepPath();

    [GeneratedRegex(@"^must be at most (\d+) characters$")]
    private static partial Regex AtMost();
}
