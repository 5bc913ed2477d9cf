using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using NotifyHub.Domain.Delivery;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using StandardWebhooks;

namespace NotifyHub.Delivery;

/// <summary>What one attempt on a channel gave: the outcome, and what the receiver said (status or SMTP reply, ≤ 1 KB of body).</summary>
public sealed record SendResult(AttemptOutcome Outcome, int? HttpStatus = null, string? Response = null, string? SmtpReply = null);

/// <summary>The address resolved for a webhook is one the hub may not send to (private, loopback, link-local, metadata...).</summary>
public sealed class OutboundAddressRefusedException(string host) : Exception($"No address of {host} is one the hub may send to.");

/// <summary>
/// Sends one signed webhook (Standard Webhooks): <c>webhook-id</c> is the notification id on every attempt,
/// <c>webhook-timestamp</c> the send time, and <c>webhook-signature</c> one <c>v1,</c> signature per valid secret.
/// One attempt only — retries are scheduled messages. Redirects are not followed; the per-attempt timeout and a
/// per-endpoint circuit breaker come from the resilience pipeline; the connection goes only to an address
/// <see cref="OutboundAddressPolicy"/> permits, checked on the address actually connected to.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, IOptions<DeliveryOptions> options, TimeProvider time)
{
    public const string ClientName = "webhooks";

    /// <summary>The most of a receiver's answer kept in an attempt's record.</summary>
    public const int MaxResponseBytes = 1024;

    public async Task<SendResult> SendAsync(string url, string messageId, byte[] body, IReadOnlyList<string> secrets, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !string.IsNullOrEmpty(uri.UserInfo)) return new(AttemptOutcome.Permanent("invalid-url"));
        if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && options.Value.AllowHttpToLoopback))
            return new(AttemptOutcome.Permanent("https-required"));
        if (secrets.Count == 0) return new(AttemptOutcome.Permanent("no-signing-secret"));

        var now = time.GetUtcNow();
        var text = Encoding.UTF8.GetString(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation("webhook-id", messageId);
        request.Headers.TryAddWithoutValidation("webhook-timestamp", now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("webhook-signature", string.Join(' ', secrets.Select(s => new StandardWebhook(s).Sign(messageId, now, text))));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("NotifyHub-Webhooks", "1"));

        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(options.Value.AttemptTimeout);
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token);
            var status = (int)response.StatusCode;
            var retryAfter = response.Headers.TryGetValues("Retry-After", out var values) ? values.FirstOrDefault() : null;
            // The status decides; the body is only kept for the log, so a slow or endless body does not undo a 2xx.
            string? snippet;
            try { snippet = await ReadAtMostAsync(response.Content, MaxResponseBytes, attempt.Token); }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is OperationCanceledException or IOException or HttpRequestException)
            {
                snippet = "(response body not read in time)";
            }
            return new(WebhookResponse.Classify(status, retryAfter, time.GetUtcNow()), status, snippet);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && Classify(e) is { } outcome)
        {
            return new(outcome);
        }
    }

    /// <summary>Why an attempt that got no usable answer failed.</summary>
    private static AttemptOutcome? Classify(Exception e) => e switch
    {
        TimeoutRejectedException or OperationCanceledException or TimeoutException => AttemptOutcome.Transient("timeout"),
        BrokenCircuitException => AttemptOutcome.Transient("circuit-open"),
        HttpRequestException { InnerException: OutboundAddressRefusedException } => AttemptOutcome.Permanent("address-refused"),
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => AttemptOutcome.Transient("dns-failure"),
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError, InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } }
            => AttemptOutcome.Transient("connection-refused"),
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => AttemptOutcome.Transient("connection-failed"),
        HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } => AttemptOutcome.Transient("tls-failure"),
        HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse } => AttemptOutcome.Transient("invalid-response"),
        HttpRequestException => AttemptOutcome.Transient("http-error"),
        IOException => AttemptOutcome.Transient("connection-broken"),
        _ => null,
    };

    /// <summary>At most <paramref name="limit"/> bytes of the body, as text with control characters removed; a huge body is never read further.</summary>
    private static async Task<string?> ReadAtMostAsync(HttpContent content, int limit, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[limit];
        var read = 0;
        while (read < limit)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read, limit - read), cancellationToken);
            if (n == 0) break;
            read += n;
        }
        if (read == 0) return null;
        var text = Encoding.UTF8.GetString(buffer, 0, read);
        return new string(text.Where(c => !char.IsControl(c) || c is '\n' or '\t').ToArray());
    }

    /// <summary>The handler behind <see cref="ClientName"/>: no proxy, no redirects, no cookies, and a connect step that checks every address.</summary>
    public static SocketsHttpHandler CreateHandler(DeliveryOptions options)
    {
        var policy = options.AddressPolicy;
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = options.AttemptTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context, policy, options.AllowHttpToLoopback, cancellationToken),
        };
    }

    /// <summary>
    /// Resolves the host once and connects only to an address the policy permits (plain http: only to loopback, and
    /// only when the development setting allows it). The address checked is the address connected to, so a DNS
    /// answer that changes between check and connect (rebinding) cannot reach a refused address.
    /// </summary>
    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, OutboundAddressPolicy policy, bool allowHttpToLoopback,
        CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        // The policy alone turns an address literal into the address connected to; only a name goes to DNS.
        var addresses = policy.Classify(host, out var literal) == HostVerdict.Name ? await Dns.GetHostAddressesAsync(host, cancellationToken) : [literal!];
        var plainHttp = context.InitialRequestMessage.RequestUri?.Scheme == Uri.UriSchemeHttp;
        var permitted = addresses.Where(a => plainHttp ? allowHttpToLoopback && IPAddress.IsLoopback(a) : policy.Permits(a)).ToList();
        if (permitted.Count == 0) throw new OutboundAddressRefusedException(host);

        Exception? last = null;
        foreach (var address in permitted)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
        }
        throw last!;
    }

    /// <summary>The per-endpoint pipeline: a circuit breaker (an endpoint failing again and again is left alone for a while) around the attempt timeout.</summary>
    public static void ConfigurePipeline(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, DeliveryOptions options)
    {
        pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            FailureRatio = 0.9,
            MinimumThroughput = 10,
            SamplingDuration = TimeSpan.FromMinutes(2),
            BreakDuration = TimeSpan.FromSeconds(30),
        });
        pipeline.AddTimeout(options.AttemptTimeout);
    }
}
