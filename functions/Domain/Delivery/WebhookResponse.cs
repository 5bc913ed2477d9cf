using System.Globalization;
using System.Net;

namespace NotifyHub.Domain.Delivery;

/// <summary>How a webhook endpoint's answer counts (Standard Webhooks): only 2xx is delivered.</summary>
public static class WebhookResponse
{
    /// <summary>
    /// 2xx: delivered. 410 Gone: the receiver has gone for good — permanent (the endpoint is disabled and the
    /// fallback channel takes over). 429 and 503: transient, honouring <c>Retry-After</c>. A redirect is not
    /// followed and counts as a failure. Any other status: transient, tried again on the schedule.
    /// </summary>
    public static AttemptOutcome Classify(int status, string? retryAfter, DateTimeOffset now)
    {
        if (status is >= 200 and < 300) return AttemptOutcome.Delivered;
        if (status == (int)HttpStatusCode.Gone) return AttemptOutcome.Permanent("http-410-gone");
        if (status is >= 300 and < 400) return AttemptOutcome.Transient($"http-{status}-redirect-not-followed");
        if (status is 429 or 503) return AttemptOutcome.Transient($"http-{status}", ParseRetryAfter(retryAfter, now));
        return AttemptOutcome.Transient($"http-{status}");
    }

    /// <summary><c>Retry-After</c> as delay-seconds or an HTTP date; null when absent, unreadable or not in the future.</summary>
    public static TimeSpan? ParseRetryAfter(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        value = value.Trim();
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return seconds > 0 ? TimeSpan.FromSeconds(Math.Min(seconds, (long)TimeSpan.FromDays(7).TotalSeconds)) : null;
        if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            return at > now ? at - now : null;
        return null;
    }
}
