using System.Globalization;
using System.Text;
using System.Text.Json;
using NotifyHub.Delivery;
using NotifyHub.Domain;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.FrontDoor;
using NotifyHub.Domain.Routing;
using NotifyHub.Domain.Validation;
using NotifyHub.Web;
using static NotifyHub.Web.Page;

namespace NotifyHub.FrontDoor;

/// <summary>What the reviewer entered in one of the review page's two forms (<c>release</c> or <c>withhold</c>), to show again with its errors.</summary>
public sealed record ReviewFormEntry(string Form, string Name = "", string Role = "", string Note = "", IReadOnlyList<string>? Remove = null, string Reason = "",
    string NewSchoolUrn = "");

/// <summary>
/// The page a relay reviews a held share on, from its email link (GOV.UK Design System): whose share it is and by when to
/// release it, what happens if it is not released in time, the two forms — release (with a note for the recipient, and
/// fields to take out) and withhold (with a reason; for a child who has moved school, the new school's URN) — and then the
/// incident as the relay may see it. Once decided, what was decided and by whom. A pure function of what it is given.
/// </summary>
public static class ReviewPage
{
    public const string ReleaseAction = "release";
    public const string WithholdAction = "withhold";

    public static string Render(NotificationPageModel model, FieldErrors? errors = null, ReviewFormEntry? entry = null, string? decided = null)
    {
        var view = model.View;
        var content = view.Content is { } json ? json.Deserialize(RoutingJsonContext.Default.DeliveryContent) : null;
        var review = content?.Review;
        var reference = Reference(view.ForceCode, view.IncidentReference) ?? view.IncidentId;
        var failed = errors is { Any: true } ? entry?.Form : null;
        var all = (errors?.ToDictionary() ?? new Dictionary<string, string[]>()).ToDictionary(e => $"{failed}-{e.Key}", e => Message(e.Key, e.Value));
        var main = new StringBuilder();
        if (all.Count > 0) main.Append(ErrorSummary(all.Select(e => (e.Key, e.Value))));
        var recipient = review?.RecipientName ?? "its recipient";
        main.Append("<span class=\"govuk-caption-l\">Front-door review for ").Append(H(model.RecipientName)).Append("</span>")
            .Append("<h1 class=\"govuk-heading-l\">Review before it goes to ").Append(H(recipient)).Append("</h1>");
        if (review is null)
        {
            main.Append("<p class=\"govuk-body\">The details have been removed under the hub's retention policy. The police reference ")
                .Append(H(reference)).Append(" still identifies the incident.</p>");
            return Done(reference, main, all.Count > 0);
        }
        main.Append(SummaryList([
            ("Police reference", reference),
            ("When it happened", content!.OccurredAt is { } occurred ? UkTime.Describe(occurred) : null),
            ("Risk level", content.RiskLevel?.ToString().ToLowerInvariant()),
            ("Goes to", $"{review.RecipientName} ({Words(review.RecipientType)})"),
            ("Release it by", UkTime.Describe(review.ReleaseDueAt)),
            ("They must have it by", review.RecipientDueAt is { } due ? UkTime.Describe(due) : null),
            ("If it is not released in time", review.AutoReleaseWhenLate
                ? "It is sent on automatically, with a note that it was not reviewed, and your escalation contact is told."
                : "It stays here, and your escalation contact is told. It is late for its recipient too."),
        ]));

        var outcome = decided ?? view.Answer;
        if (view.Acknowledged is { } ack || outcome is not null)
        {
            var title = outcome switch { HoldStates.Withheld => "Withheld", HoldStates.AutoReleased => "Sent on without review", _ => "Released" };
            main.Append("<div class=\"govuk-panel govuk-panel--confirmation\" id=\"decided\"><h2 class=\"govuk-panel__title\">").Append(title).Append("</h2>")
                .Append("<div class=\"govuk-panel__body\">");
            if (view.Acknowledged is { } by)
                main.Append("by ").Append(H(by.Name.Length > 0 ? by.Name : by.Role)).Append(by.Name.Length > 0 ? " (" + H(by.Role) + ")" : "").Append("<br>on ")
                    .Append(H(UkTime.Describe(by.At)));
            else main.Append("Its release was late, so the hub sent it on as your area has chosen.");
            main.Append("</div></div>");
        }
        else
        {
            main.Append("<div class=\"govuk-inset-text\" id=\"what-to-do\"><h2 class=\"govuk-heading-m\">What you need to do</h2><p class=\"govuk-body\">")
                .Append("Read the incident below, add what your service knows, check the school or team is the right one, and decide what the key adult needs. ")
                .Append("Then release it to ").Append(H(recipient)).Append(" by <strong>").Append(H(UkTime.Describe(review.ReleaseDueAt))).Append("</strong>, or withhold it with a reason. ")
                .Append("<a class=\"govuk-link\" href=\"#release\">Go to the decision</a>.</p></div>");
        }
        // Read first, then decide: the incident, what the recipient would be sent, then the two forms.
        NotificationPage.AppendDetails(main, content, model.OrganisationNames);
        main.Append("<h2 class=\"govuk-heading-m\">What ").Append(H(recipient)).Append(" would be sent</h2><p class=\"govuk-body\">")
            .Append(H(string.Join(", ", review.RecipientFields.Select(Words)))).Append(", about ")
            .Append(review.Children.Count == 1 ? "one child" : $"{review.Children.Count} children").Append(".</p>");
        if (view.Acknowledged is null && outcome is null)
        {
            AppendRelease(main, review, failed == ReleaseAction ? entry : null, all);
            AppendWithhold(main, failed == WithholdAction ? entry : null, all);
        }
        return Done(reference, main, all.Count > 0);
    }

    private static string Done(string reference, StringBuilder main, bool hasErrors) =>
        Page.Render($"Front-door review ({reference})", "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">" + main + "</div></div>", hasErrors);

    private static void AppendRelease(StringBuilder main, FrontDoorReview review, ReviewFormEntry? entry, IReadOnlyDictionary<string, string> errors)
    {
        const string f = ReleaseAction;
        main.Append("<form method=\"post\" novalidate class=\"app-no-print\" id=\"release\"><input type=\"hidden\" name=\"action\" value=\"release\">")
            .Append("<h2 class=\"govuk-heading-m\">Release it</h2><p class=\"govuk-body\">").Append(H(review.RecipientName))
            .Append(" is sent it at once, with your note. The police and the partnership see your role; your name is kept in the record.</p>");
        Input(main, f, "name", "Your name", "name", null, entry?.Name, errors);
        Input(main, f, "role", "Your role", "organization-title", "For example, MASH social worker", entry?.Role, errors);
        var noteError = errors.GetValueOrDefault($"{f}-note");
        main.Append("<div class=\"govuk-form-group").Append(noteError is null ? "" : " govuk-form-group--error").Append("\">")
            .Append("<label class=\"govuk-label govuk-label--s\" for=\"release-note\">A note for ").Append(H(review.RecipientName)).Append(" (optional)</label>")
            .Append("<div id=\"release-note-hint\" class=\"govuk-hint\">What children's services know that the key adult needs. Up to ")
            .Append(FrontDoorInput.MaxNoteLength.ToString("N0", CultureInfo.InvariantCulture)).Append(" characters.</div>");
        if (noteError is not null) main.Append("<p id=\"release-note-error\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">Error:</span> ").Append(H(noteError)).Append("</p>");
        main.Append("<textarea class=\"govuk-textarea").Append(noteError is null ? "" : " govuk-textarea--error").Append("\" id=\"release-note\" name=\"note\" rows=\"4\" spellcheck=\"true\" aria-describedby=\"release-note-hint")
            .Append(noteError is null ? "" : " release-note-error").Append("\">").Append(H(entry?.Note)).Append("</textarea></div>");
        var removable = review.RecipientFields.Where(x => !FrontDoorChanges.Kept.Contains(x)).ToList();
        if (removable.Count > 0)
        {
            var removeError = errors.GetValueOrDefault($"{f}-remove");
            main.Append("<div class=\"govuk-form-group").Append(removeError is null ? "" : " govuk-form-group--error").Append("\"><fieldset class=\"govuk-fieldset\" aria-describedby=\"release-remove-hint")
                .Append(removeError is null ? "" : " release-remove-error").Append("\"><legend class=\"govuk-fieldset__legend govuk-fieldset__legend--s\">Take anything out? (optional)</legend>")
                .Append("<div id=\"release-remove-hint\" class=\"govuk-hint\">What you tick is not sent to ").Append(H(review.RecipientName)).Append(".</div>");
            if (removeError is not null) main.Append("<p id=\"release-remove-error\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">Error:</span> ").Append(H(removeError)).Append("</p>");
            main.Append("<div class=\"govuk-checkboxes govuk-checkboxes--small\" data-module=\"govuk-checkboxes\">");
            var first = true;
            foreach (var field in removable)
            {
                var id = first ? "release-remove" : "release-remove-" + field.Replace('.', '-');
                first = false;
                main.Append("<div class=\"govuk-checkboxes__item\"><input class=\"govuk-checkboxes__input\" id=\"").Append(H(id)).Append("\" name=\"remove\" type=\"checkbox\" value=\"")
                    .Append(H(field)).Append('"').Append(entry?.Remove?.Contains(field) == true ? " checked" : "").Append("><label class=\"govuk-label govuk-checkboxes__label\" for=\"")
                    .Append(H(id)).Append("\">").Append(H(Words(field))).Append("</label></div>");
            }
            main.Append("</div></fieldset></div>");
        }
        main.Append("<button type=\"submit\" class=\"govuk-button\" data-module=\"govuk-button\" id=\"release-button\">Release to ").Append(H(review.RecipientName)).Append("</button></form>");
    }

    private static void AppendWithhold(StringBuilder main, ReviewFormEntry? entry, IReadOnlyDictionary<string, string> errors)
    {
        const string f = WithholdAction;
        main.Append("<form method=\"post\" novalidate class=\"app-no-print\" id=\"withhold\"><input type=\"hidden\" name=\"action\" value=\"withhold\">")
            .Append("<h2 class=\"govuk-heading-m\">Or withhold it</h2><p class=\"govuk-body\">It is not sent. The police and the partnership see the reason and your role.</p>");
        Input(main, f, "name", "Your name", "name", null, entry?.Name, errors);
        Input(main, f, "role", "Your role", "organization-title", null, entry?.Role, errors);
        var reasonError = errors.GetValueOrDefault($"{f}-reason");
        main.Append("<div class=\"govuk-form-group").Append(reasonError is null ? "" : " govuk-form-group--error").Append("\"><fieldset class=\"govuk-fieldset\"")
            .Append(reasonError is null ? "" : " aria-describedby=\"withhold-reason-error\"").Append("><legend class=\"govuk-fieldset__legend govuk-fieldset__legend--s\">Why are you withholding it?</legend>");
        if (reasonError is not null) main.Append("<p id=\"withhold-reason-error\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">Error:</span> ").Append(H(reasonError)).Append("</p>");
        main.Append("<div class=\"govuk-radios govuk-radios--small\" data-module=\"govuk-radios\">");
        var first = true;
        foreach (var reason in WithholdReasons.All)
        {
            var id = first ? "withhold-reason" : "withhold-reason-" + reason;
            first = false;
            var words = WithholdReasons.Describe(reason);
            main.Append("<div class=\"govuk-radios__item\"><input class=\"govuk-radios__input\" id=\"").Append(id).Append("\" name=\"reason\" type=\"radio\" value=\"").Append(reason).Append('"')
                .Append(entry?.Reason == reason ? " checked" : "").Append("><label class=\"govuk-label govuk-radios__label\" for=\"").Append(id).Append("\">")
                .Append(H(char.ToUpperInvariant(words[0]) + words[1..])).Append("</label></div>");
        }
        main.Append("</div></fieldset></div>");
        Input(main, f, "newSchoolUrn", "The new school's URN (only if the child has moved school)", "off",
            "Six digits. The hub sends the notification to that school instead.", entry?.NewSchoolUrn, errors, width: "govuk-input--width-10");
        main.Append("<button type=\"submit\" class=\"govuk-button govuk-button--warning\" data-module=\"govuk-button\" id=\"withhold-button\">Withhold it</button></form>");
    }

    private static void Input(StringBuilder main, string form, string field, string label, string autocomplete, string? hint, string? value,
        IReadOnlyDictionary<string, string> errors, string width = "govuk-!-width-two-thirds")
    {
        var id = $"{form}-{field}";
        var error = errors.GetValueOrDefault(id);
        var describedBy = string.Join(' ', new[] { hint is null ? null : id + "-hint", error is null ? null : id + "-error" }.Where(x => x is not null));
        main.Append("<div class=\"govuk-form-group").Append(error is null ? "" : " govuk-form-group--error").Append("\">")
            .Append("<label class=\"govuk-label govuk-label--s\" for=\"").Append(id).Append("\">").Append(H(label)).Append("</label>");
        if (hint is not null) main.Append("<div id=\"").Append(id).Append("-hint\" class=\"govuk-hint\">").Append(H(hint)).Append("</div>");
        if (error is not null) main.Append("<p id=\"").Append(id).Append("-error\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">Error:</span> ").Append(H(error)).Append("</p>");
        main.Append("<input class=\"govuk-input ").Append(width).Append(error is null ? "" : " govuk-input--error").Append("\" id=\"").Append(id).Append("\" name=\"").Append(field)
            .Append("\" type=\"text\" maxlength=\"100\" spellcheck=\"false\" autocomplete=\"").Append(autocomplete).Append('"');
        if (describedBy.Length > 0) main.Append(" aria-describedby=\"").Append(describedBy).Append('"');
        main.Append(" value=\"").Append(H(value)).Append("\"></div>");
    }

    private static string Message(string field, IReadOnlyList<string> reasons)
    {
        var label = field switch
        {
            "name" => "your name", "role" => "your role", "note" => "the note", "remove" => "what to take out", "reason" => "why you are withholding it",
            "newSchoolUrn" => "the new school's URN", _ => field,
        };
        if (field == "reason" && reasons.Contains("is required")) return "Select why you are withholding it";
        return reasons.Contains("is required") ? $"Enter {label}" : char.ToUpperInvariant(label[0]) + label[1..] + " " + string.Join(" and ", reasons);
    }

    private static string? Reference(string? force, string? reference) => force is null || reference is null ? null : $"{force}/{reference}";

    /// <summary>A content field or recipient type in words, for the reviewer.</summary>
    public static string Words(string code) => code switch
    {
        ContentFields.PoliceContact => "the police contact",
        ContentFields.Summary => "what happened",
        ContentFields.RiskLevel => "the risk level",
        ContentFields.PriorIncidents => "the count of earlier incidents",
        ContentFields.VictimPregnant => "whether the victim is pregnant",
        ContentFields.ChildGivenName => "the child's given name",
        ContentFields.ChildFamilyName => "the child's family name",
        ContentFields.ChildDateOfBirth => "the child's date of birth",
        ContentFields.ChildPresent => "whether the child was present",
        ContentFields.ChildWelfareCheckDone => "whether police checked on the child",
        ContentFields.ChildWhatChildSaid => "what the child said",
        ContentFields.ChildDemeanour => "how the child seemed",
        ContentFields.ChildPriorIncidents => "the child's earlier incidents",
        ContentFields.ChildNhsNumber => "the child's NHS number",
        ContentFields.ChildGpPracticeOdsCode => "the child's GP practice",
        ContentFields.ForceCode => "the police force",
        ContentFields.IncidentReference => "the police reference",
        ContentFields.OccurredAt => "when it happened",
        _ => code.Replace('.', ' ').Replace('-', ' '),
    };
}
