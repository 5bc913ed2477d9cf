using System.Text;
using System.Text.Json;
using NotifyHub.Domain;
using NotifyHub.Domain.Decisions;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Incidents;
using NotifyHub.Domain.Routing;
using NotifyHub.Domain.Validation;
using NotifyHub.Web;
using static NotifyHub.Web.Page;
using T = NotifyHub.Domain.Directory.OrganisationTypes;

namespace NotifyHub.Delivery;

/// <summary>A notification as its page shows it: the recipient's view, its name, and the names of organisations its content cites by code.</summary>
/// <param name="Decision">For a MASH's incident notification: its decision section (<see cref="DecisionPage"/>); null for every other.</param>
public sealed record NotificationPageModel(NotificationView View, string RecipientName, IReadOnlyDictionary<string, string> OrganisationNames,
    DecisionSection? Decision = null);

/// <summary>
/// The pages an email link opens, on the GOV.UK Design System. First a page that shows nothing of the notification and
/// asks the reader to view it (a button, which POSTs: a mail gateway fetching the link to scan it opens nothing); then
/// the notification as its recipient may see it: at the top what happened and when, the risk, the children this
/// recipient is concerned with, what is asked of them and by when, and the Acknowledge form; below, the details with
/// labels in words; for a school, the Operation Encompass guidance for the key adult. Pure functions of what they are
/// given: no script, every value encoded. Also the pages for an acknowledged notification and a link that does not open.
/// </summary>
public static class NotificationPage
{
    private const string Caption = "Safeguarding notification";

    public static string Landing(Domain.Delivery.DeliveryRecord delivery)
    {
        var main = new StringBuilder("<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">")
            .Append("<span class=\"govuk-caption-l\">").Append(Caption).Append("</span>")
            .Append("<h1 class=\"govuk-heading-l\">A notification for ").Append(H(delivery.RecipientName)).Append("</h1>")
            .Append(SummaryList([("Police reference", Reference(delivery.ForceCode, delivery.IncidentReference)),
                (delivery.Kind == DeliveryKinds.RelayReview ? "Release or withhold it by" : "Read and acknowledge it by",
                    delivery.DueAt is { } due ? UkTime.Describe(due) : null)]))
            .Append("<p class=\"govuk-body\">It is confidential. View it only if you are the person at ").Append(H(delivery.RecipientName))
            .Append(" who deals with safeguarding notifications, somewhere it cannot be read over your shoulder.</p>")
            .Append("<form method=\"post\" novalidate><input type=\"hidden\" name=\"action\" value=\"open\">")
            .Append("<button type=\"submit\" id=\"open\" class=\"govuk-button\" data-module=\"govuk-button\">View the notification</button></form>")
            .Append("</div></div>");
        return Page.Render("View the notification", main.ToString());
    }

    public static string Render(NotificationPageModel model, FieldErrors? errors = null, string? name = null, string? role = null)
    {
        var view = model.View;
        if (view.Kind == DeliveryKinds.RelayReview) return FrontDoor.ReviewPage.Render(model);
        if (view.Kind != DeliveryKinds.Incident) return RenderFollowUp(model, errors, name, role);
        var content = view.Content is { } json ? json.Deserialize(RoutingJsonContext.Default.DeliveryContent) : null;
        var guidance = RecipientGuidance.For(view.RecipientType);
        var decision = model.Decision;
        var hasErrors = errors is { Any: true } || decision is { HasErrors: true };
        var reference = Reference(view.ForceCode, view.IncidentReference) ?? view.IncidentId;
        var main = new StringBuilder();

        if (hasErrors)
        {
            main.Append(ErrorSummary((errors?.ToDictionary() ?? new Dictionary<string, string[]>()).Select(e => (e.Key, Message(e.Key, e.Value)))
                .Concat(decision is { HasErrors: true } ? DecisionPage.SummaryEntries(decision) : [])));
        }
        main.Append("<span class=\"govuk-caption-l\">").Append(Caption).Append(" for ").Append(H(model.RecipientName)).Append("</span>")
            .Append("<h1 class=\"govuk-heading-l\">Domestic abuse incident ").Append(H(reference)).Append("</h1>");
        if (decision?.Recorded is { } version) main.Append(DecisionPage.Confirmation(version));

        // What happened and when, the risk, who it is about: the four things a reader needs first.
        main.Append(SummaryList([
            ("When it happened", content?.OccurredAt is { } occurred ? UkTime.Describe(occurred) : null),
            ("Risk level", content?.RiskLevel is { } risk ? RiskText(risk) : null),
            (ChildrenLabel(view.RecipientType, content), ChildrenLine(content)),
            ("Earlier incidents in the last 12 months", content?.PriorIncidentsLast12Months is { } prior ? PriorText(prior) : null),
        ]));

        if (content?.FrontDoor is { } frontDoor)
        {
            main.Append("<div class=\"govuk-inset-text\" id=\"front-door\"><p class=\"govuk-body\">This came to you through ").Append(H(frontDoor.ViaName))
                .Append(frontDoor.Reviewed ? ", which reviewed it." : ". It was not reviewed there in time, so it was sent on to you without review, as your area has chosen.")
                .Append("</p>");
            if (frontDoor.Note is { } note) main.Append("<p class=\"govuk-body\"><strong>Their note for you:</strong> ").Append(H(note)).Append("</p>");
            main.Append("</div>");
        }

        if (view.Acknowledged is { } ack)
        {
            main.Append("<div class=\"govuk-panel govuk-panel--confirmation\" id=\"acknowledged\"><h2 class=\"govuk-panel__title\">Acknowledged</h2>")
                .Append("<div class=\"govuk-panel__body\">by ").Append(H(ack.Name)).Append(" (").Append(H(ack.Role)).Append(")<br>on ")
                .Append(H(UkTime.Describe(ack.At))).Append("</div></div>")
                .Append("<p class=\"govuk-body\">The police and the safeguarding partnership can see that ").Append(H(model.RecipientName))
                .Append(" has read this notification. You do not need to do anything more here; act on it as your procedures say.</p>");
        }
        else
        {
            main.Append("<div class=\"govuk-inset-text\" id=\"what-to-do\"><h2 class=\"govuk-heading-m\">What you need to do</h2><p class=\"govuk-body\">")
                .Append(H(guidance.Ask));
            if (view.DueAt is { } due) main.Append(", and acknowledge this notification by <strong>").Append(H(UkTime.Describe(due))).Append("</strong>");
            main.Append(".</p>");
            if (decision is not null)
                main.Append("<p class=\"govuk-body\">Once the MASH has decided, <a class=\"govuk-link\" href=\"#decision\">record its decision</a> on this page.</p>");
            main.Append("</div>");
            AppendAcknowledgeForm(main, errors, name, role);
        }

        if (guidance.Do.Count > 0)
        {
            main.Append("<h2 class=\"govuk-heading-m\" id=\"guidance\">Guidance for the key adult</h2><h3 class=\"govuk-heading-s\">On the day</h3>")
                .Append(Bullets(guidance.Do)).Append("<h3 class=\"govuk-heading-s\">What not to do</h3>").Append(Bullets(guidance.DoNot));
        }

        if (content is null)
        {
            main.Append("<h2 class=\"govuk-heading-m\">Details</h2><p class=\"govuk-body\">The details of this notification have been removed under ")
                .Append("the hub's retention policy. The police reference above still identifies the incident.</p>");
        }
        else AppendDetails(main, content, model.OrganisationNames);

        if (decision is not null) DecisionPage.Append(main, decision, content);

        main.Append("<h2 class=\"govuk-heading-m\">About this notification</h2>").Append(SummaryList([
            ("Police reference", reference),
            ("Sent to", model.RecipientName),
            ("Sent", UkTime.Describe(view.CreatedAt)),
            ("Status", StatusText(view.Status)),
        ]));
        return Page.Render($"Notification {reference}", "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">" + main + "</div></div>", hasErrors);
    }

    /// <summary>
    /// A decision's follow-up (a decision shared, a next step, a challenge, a response): what it says, what is asked and by
    /// when, and the form that acknowledges it (for a next step: marks it done). A challenge is answered through the API.
    /// </summary>
    private static string RenderFollowUp(NotificationPageModel model, FieldErrors? errors, string? name, string? role)
    {
        var view = model.View;
        var words = KindWording.For(view.Kind);
        var content = view.Content is { } json ? FollowUpContent.Read(json) : null;
        var reference = Reference(view.ForceCode, view.IncidentReference) ?? view.IncidentId;
        var hasErrors = errors is { Any: true };
        var main = new StringBuilder();
        if (hasErrors) main.Append(ErrorSummary(errors!.ToDictionary().Select(e => (e.Key, Message(e.Key, e.Value)))));
        var heading = view.Kind switch
        {
            DeliveryKinds.Decision => "The MASH's decision",
            DeliveryKinds.NextStep => "A next step for you",
            DeliveryKinds.Challenge => "A challenge to your decision",
            DeliveryKinds.ChallengeResponse => "The answer to a challenge",
            DeliveryKinds.Invitation => "An invitation to a strategy discussion",
            DeliveryKinds.Minutes => "The minutes of a strategy discussion",
            DeliveryKinds.Action => "An action for you from a strategy discussion",
            DeliveryKinds.StrategyDue => "A strategy discussion you chair",
            _ => "An incident awaits your decision",
        };
        main.Append("<span class=\"govuk-caption-l\">Incident ").Append(H(reference)).Append(", for ").Append(H(model.RecipientName)).Append("</span>")
            .Append("<h1 class=\"govuk-heading-l\">").Append(H(heading)).Append("</h1>");
        if (content is null)
        {
            main.Append("<p class=\"govuk-body\">The details have been removed under the hub's retention policy. The police reference above still identifies the incident.</p>");
        }
        else
        {
            var steps = content.NextSteps is { Count: > 0 } s
                ? string.Join("; ", s.Select(x => $"{x.Action ?? "(removed)"}: {x.Owner}, by {UkTime.Describe(x.DueOn)}"))
                : null;
            main.Append(SummaryList([
                ("Decision", content.OutcomeMeaning),
                ("Decision version", content.Kind is DeliveryKinds.Decision or DeliveryKinds.Challenge or DeliveryKinds.ChallengeResponse
                    ? content.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) : null),
                ("Decided", content.DecidedAt is { } decided ? UkTime.Describe(decided) : null),
                ("Decided jointly", content.Joint switch { true => "Yes, with " + string.Join(", ", content.JointWith ?? []), false => "No", _ => null }),
                ("Why", content.Rationale),
                ("Next steps", steps),
                ("What you are asked to do", content.Action),
                ("By", content.DueOn is { } on ? UkTime.DescribeDate(on) : null),
                ("Challenge", content.Challenge is { } c ? $"Challenge {c} of decision version {content.Version}" : null),
                ("Raised by", content.ChallengedBy),
                ("Why it was challenged", content.Reason),
                ("What it asks for", content.Asks),
                ("Answer", content.Response switch { ChallengeResponses.Upheld => "Upheld", ChallengeResponses.NotUpheld => "Not upheld", _ => null }),
                ("Reasons", content.ResponseReasons),
                ("New decision version", content.NewVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("Meeting", content.MeetingAt is { } meetingAt ? UkTime.Describe(meetingAt) : null),
                ("How", content.How is { } how ? Domain.Strategy.MeetingModes.All.FirstOrDefault(m => m.Code == how).Words ?? how : null),
                ("Joining details", content.JoiningDetails),
                ("Held", content.HeldAt is { } heldAt ? UkTime.Describe(heldAt) : null),
                ("Outcome", content.StrategyOutcome is { } so ? Domain.Strategy.StrategyOutcomes.All.FirstOrDefault(o => o.Code == so).Words ?? so : null),
                ("Minutes", content.MinutesText ?? (content.MinutesPdf == true ? "A PDF: read it through the NotifyHub API (GET …/minutes)" : null)),
            ]));
        }
        if (view.Acknowledged is { } ack)
        {
            var done = view.Kind == DeliveryKinds.NextStep ? "Marked done" : view.Kind == DeliveryKinds.Challenge ? "Answered" : "Acknowledged";
            main.Append("<div class=\"govuk-panel govuk-panel--confirmation\" id=\"acknowledged\"><h2 class=\"govuk-panel__title\">").Append(done).Append("</h2>")
                .Append("<div class=\"govuk-panel__body\">by ").Append(H(ack.Name.Length > 0 ? ack.Name : ack.Role)).Append(ack.Name.Length > 0 ? " (" + H(ack.Role) + ")" : "")
                .Append("<br>on ").Append(H(UkTime.Describe(ack.At))).Append("</div></div>");
        }
        else
        {
            main.Append("<div class=\"govuk-inset-text\" id=\"what-to-do\"><h2 class=\"govuk-heading-m\">What you need to do</h2><p class=\"govuk-body\">")
                .Append(H(char.ToUpperInvariant(words.Ask[0]) + words.Ask[1..]));
            if (view.DueAt is { } due) main.Append(" by <strong>").Append(H(UkTime.Describe(due))).Append("</strong>");
            main.Append(".</p>");
            if (view.Kind == DeliveryKinds.Decision)
                main.Append("<p class=\"govuk-body\">If you disagree with the decision, challenge it: your organisation's system can send a challenge through the NotifyHub API, ")
                    .Append("and the MASH must answer it in the time your partnership has set.</p>");
            if (view.Kind == DeliveryKinds.Invitation)
                main.Append("<p class=\"govuk-body\">Answer it through the NotifyHub API — attending, cannot attend but sending information, or cannot attend — ")
                    .Append("and send what your organisation knows before the meeting, even if you cannot come.</p>");
            if (view.Kind == DeliveryKinds.Challenge)
                main.Append("<p class=\"govuk-body\">Answer it through the NotifyHub API: upheld, with the new decision version, or not upheld, with your reasons.</p>");
            main.Append("</div>");
            if (KindWording.NotAcknowledgeable(view.Kind, view.NotificationId) is null)
            {
                var (title, intro, button) = view.Kind == DeliveryKinds.NextStep
                    ? ("Mark it done", "Once the step is done, mark it done here. The MASH and the partnership see your role; your name is kept in the record.", "Mark as done")
                    : ("Acknowledge", "Acknowledge that you have read this. The MASH and the partnership see your role; your name is kept in the record of who acknowledged it.", "Acknowledge");
                AppendAcknowledgeForm(main, errors, name, role, title, intro, button);
            }
        }
        main.Append("<h2 class=\"govuk-heading-m\">About this notification</h2>").Append(SummaryList([
            ("Police reference", reference),
            ("Sent to", model.RecipientName),
            ("Sent", UkTime.Describe(view.CreatedAt)),
        ]));
        return Page.Render($"{heading} ({reference})", "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">" + main + "</div></div>", hasErrors);
    }

    /// <summary>A request the page could not take, explained for a person (the API answers problem+json instead).</summary>
    public static string Problem(string title, string detail) => Page.Render(title,
        "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\"><h1 class=\"govuk-heading-l\">" + H(title) + "</h1>" +
        "<p class=\"govuk-body\">" + H(detail) + "</p><p class=\"govuk-body\">Go back to the email and open its link again.</p></div></div>");

    private static void AppendAcknowledgeForm(StringBuilder main, FieldErrors? errors, string? name, string? role, string title = "Acknowledge",
        string intro = "Acknowledge that you have read this notification and will act on it. Police and the partnership see your role; your name is kept in the record of who acknowledged it.",
        string button = "Acknowledge")
    {
        var all = errors?.ToDictionary() ?? new Dictionary<string, string[]>();
        main.Append("<form method=\"post\" novalidate class=\"app-no-print\" id=\"acknowledge\"><h2 class=\"govuk-heading-m\">").Append(H(title)).Append("</h2>")
            .Append("<p class=\"govuk-body\">").Append(H(intro)).Append("</p>");
        AppendInput(main, "name", "Your name", "name", name, all);
        AppendInput(main, "role", "Your role", "organization-title", role, all, hint: "For example, designated safeguarding lead");
        main.Append("<button type=\"submit\" class=\"govuk-button\" data-module=\"govuk-button\">").Append(H(button)).Append("</button></form>");
    }

    private static void AppendInput(StringBuilder main, string field, string label, string autocomplete, string? value, IDictionary<string, string[]> errors, string? hint = null)
    {
        var error = errors.TryGetValue(field, out var reasons) ? Message(field, reasons) : null;
        var describedBy = string.Join(' ', new[] { hint is null ? null : field + "-hint", error is null ? null : field + "-error" }.Where(x => x is not null));
        main.Append("<div class=\"govuk-form-group").Append(error is null ? "" : " govuk-form-group--error").Append("\">")
            .Append("<label class=\"govuk-label govuk-label--s\" for=\"").Append(field).Append("\">").Append(H(label)).Append("</label>");
        if (hint is not null) main.Append("<div id=\"").Append(field).Append("-hint\" class=\"govuk-hint\">").Append(H(hint)).Append("</div>");
        if (error is not null)
            main.Append("<p id=\"").Append(field).Append("-error\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">Error:</span> ").Append(H(error)).Append("</p>");
        main.Append("<input class=\"govuk-input govuk-!-width-two-thirds").Append(error is null ? "" : " govuk-input--error").Append("\" id=\"").Append(field)
            .Append("\" name=\"").Append(field).Append("\" type=\"text\" maxlength=\"100\" spellcheck=\"false\" autocomplete=\"").Append(autocomplete).Append('"');
        if (describedBy.Length > 0) main.Append(" aria-describedby=\"").Append(describedBy).Append('"');
        main.Append(" value=\"").Append(H(value)).Append("\"></div>");
    }

    private static string Message(string field, IReadOnlyList<string> reasons)
    {
        var label = field == "name" ? "your name" : field == "role" ? "your role" : field;
        return reasons.Contains("is required") ? $"Enter {label}" : char.ToUpperInvariant(label[0]) + label[1..] + " " + string.Join(" and ", reasons);
    }

    internal static void AppendDetails(StringBuilder main, DeliveryContent content, IReadOnlyDictionary<string, string> names)
    {
        var incident = SummaryList([
            ("Reported to police", content.ReportedAt is { } reported ? UkTime.Describe(reported) : null),
            ("Police attended", content.AttendedAt is { } attended ? UkTime.Describe(attended) : null),
            ("What happened", content.Summary),
            ("Victim pregnant", YesNo(content.VictimPregnant)),
            ("Area (postcode district)", content.PostcodeDistrict),
            ("Local authority code", content.LaCode),
            ("Children", content.ChildCount?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Children present", content.ChildrenPresentCount?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Adults", content.AdultCount?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ]);
        if (incident.Length > 0) main.Append("<h2 class=\"govuk-heading-m\">The incident</h2>").Append(incident);
        if (content.PoliceContact is { } officer)
        {
            main.Append("<h2 class=\"govuk-heading-m\">Police contact</h2>").Append(SummaryList([
                ("Officer", officer.Name + (officer.CollarNumber is { } collar ? $" (collar number {collar})" : "")),
                ("Phone", officer.Phone),
                ("Email", officer.Email),
            ]));
        }
        var i = 0;
        foreach (var child in content.Children ?? [])
        {
            i++;
            var heading = FullName(child.GivenName, child.FamilyName) ?? (child.ExpectedDueDate is not null ? "Unborn child" : $"Child {i}");
            main.Append("<h2 class=\"govuk-heading-m\">").Append(H(heading)).Append("</h2>").Append(SummaryList([
                ("Date of birth", child.DateOfBirth is { } dob ? UkTime.Describe(dob) : null),
                ("Expected due date", child.ExpectedDueDate is { } edd ? UkTime.Describe(edd) : null),
                ("NHS number", child.NhsNumber),
                ("Police person reference", child.PolicePersonReference),
                ("Present at the incident", YesNo(child.Present)),
                ("Welfare check done by police", YesNo(child.WelfareCheckDone)),
                ("What the child said", child.WhatChildSaid),
                ("How the child seemed", child.Demeanour),
                ("School", child.SchoolUrn is { } urn ? Named(names, urn, "URN") : null),
                ("Electively home educated", YesNo(child.ElectivelyHomeEducated)),
                ("Early years setting", child.EarlyYearsSettingUrn is { } eyUrn ? Named(names, eyUrn, "URN") : null),
                ("GP practice (ODS code)", child.GpPracticeOdsCode),
                ("Known to the youth offending service", YesNo(child.KnownToYos)),
                ("Earlier incidents for this child in the last 12 months", child.PriorIncidentsLast12Months is { } p ? PriorText(p) : null),
            ]));
        }
        foreach (var adult in content.Adults ?? [])
        {
            var role = adult.Role switch { AdultRole.Victim => "Victim", AdultRole.Perpetrator => "Alleged perpetrator", _ => "Other adult" };
            var name = FullName(adult.GivenName, adult.FamilyName);
            main.Append("<h2 class=\"govuk-heading-m\">").Append(H(name is null ? role : $"{role}: {name}")).Append("</h2>").Append(SummaryList([
                ("Date of birth", adult.DateOfBirth is { } dob ? UkTime.Describe(dob) : null),
                ("Police person reference", adult.PolicePersonReference),
                ("Pregnant", YesNo(adult.Pregnant)),
                ("Under probation supervision", adult.Probation is { } p ? $"{(p.Provider == ProbationProvider.Nps ? "National Probation Service" : "Community Rehabilitation Company")}, {p.Region}{(p.Office is { } o ? ", " + o : "")}" : null),
                ("Known to the youth offending service", YesNo(adult.KnownToYos)),
            ]));
        }
    }

    private static string? Reference(string? force, string? reference) => reference is null ? null : $"{force} {reference}".Trim();

    private static string ChildrenLabel(string recipientType, DeliveryContent? content) =>
        recipientType is T.School or T.EarlyYearsSetting ? (content?.Children?.Count == 1 ? "Your pupil" : "Your pupils")
        : content?.Children?.Count == 1 ? "Child" : "Children";

    private static string? ChildrenLine(DeliveryContent? content)
    {
        if (content?.Children is not { Count: > 0 } children) return null;
        return string.Join("; ", children.Select((c, i) =>
        {
            var name = FullName(c.GivenName, c.FamilyName) ?? (c.ExpectedDueDate is not null ? "unborn child" : $"child {i + 1}");
            var present = c.Present switch { true => "present at the incident", false => "not present", _ => null };
            return present is null ? name : $"{name} ({present})";
        }));
    }

    private static string RiskText(RiskLevel risk) => risk switch
    {
        RiskLevel.High => "High",
        RiskLevel.Medium => "Medium",
        _ => "Standard",
    };

    private static string PriorText(int prior) => prior switch
    {
        0 => "None known to NotifyHub",
        1 => "1 earlier incident",
        _ => $"{prior} earlier incidents",
    };

    private static string StatusText(string status) => status switch
    {
        Domain.Delivery.DeliveryStatus.Acknowledged => "Acknowledged",
        Domain.Delivery.DeliveryStatus.Delivered => "Read, not yet acknowledged",
        Domain.Delivery.DeliveryStatus.Failed => "Delivery failed",
        _ => "Sent, not yet read",
    };

    private static string? YesNo(bool? value) => value switch { true => "Yes", false => "No", _ => null };

    private static string? FullName(string? given, string? family) =>
        string.Join(' ', new[] { given, family }.Where(n => !string.IsNullOrWhiteSpace(n))) is { Length: > 0 } full ? full : null;

    private static string Named(IReadOnlyDictionary<string, string> names, string code, string kind) =>
        names.TryGetValue(code, out var name) ? $"{name} ({kind} {code})" : $"{kind} {code}";

    private static string Bullets(IEnumerable<string> lines) =>
        "<ul class=\"govuk-list govuk-list--bullet\">" + string.Concat(lines.Select(l => "<li>" + H(l) + "</li>")) + "</ul>";
}
