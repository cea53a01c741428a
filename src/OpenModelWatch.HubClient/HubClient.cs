using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenModelWatch.Hub.Parsing;
using Polly.Timeout;

namespace OpenModelWatch.Hub;

/// <summary>One page of a listing, as the Hub returned it.</summary>
public sealed record HubModelPage(Uri Url, IReadOnlyList<HubModel> Models);

/// <summary>
/// Typed client for the Hub's model API. Lists page by page and follows the <c>Link</c> header, so a namespace or a
/// census is never held in memory whole; paces itself on the <c>RateLimit</c> header; retries through the
/// resilience pipeline configured in <see cref="HubClientServiceCollectionExtensions.AddHubClient"/>.
/// </summary>
public sealed partial class HubClient(
    HttpClient http,
    IOptions<HubClientOptions> options,
    RateLimitPacer pacer,
    HubRequestStats stats,
    TimeProvider time,
    ILogger<HubClient> logger)
{
    /// <summary>Exactly the fields OpenModelWatch stores; with <c>expand</c> the Hub sends only these plus <c>id</c>.</summary>
    public static readonly IReadOnlyList<string> ExpandedFields =
    [
        "createdAt", "downloads", "downloadsAllTime", "likes", "trendingScore",
        "pipeline_tag", "library_name", "tags", "safetensors",
    ];

    private static readonly string _expandQuery = string.Join('&', ExpandedFields.Select(field => "expand=" + field));

    public HubRequestStats Stats => stats;

    /// <summary>The first page of a namespace's models: <c>/api/models?author=…&amp;limit=…&amp;expand=…</c>.</summary>
    public Uri AuthorListUrl(string author) =>
        ApiUrl($"api/models?author={Uri.EscapeDataString(author)}&limit={options.Value.PageSize}&{_expandQuery}");

    /// <summary>The first page of the whole Hub by 30-day downloads, most downloaded first.</summary>
    public Uri TopByDownloadsUrl() =>
        ApiUrl($"api/models?sort=downloads&limit={options.Value.PageSize}&{_expandQuery}");

    public Uri ModelUrl(string id) =>
        ApiUrl($"api/models/{string.Join('/', id.Split('/').Select(Uri.EscapeDataString))}?{_expandQuery}");

    public IAsyncEnumerable<HubModelPage> ListByAuthorAsync(string author, CancellationToken cancellationToken = default) =>
        ListPagesAsync(AuthorListUrl(author), cancellationToken);

    public IAsyncEnumerable<HubModelPage> ListTopByDownloadsAsync(CancellationToken cancellationToken = default) =>
        ListPagesAsync(TopByDownloadsUrl(), cancellationToken);

    /// <summary>Pages from <paramref name="firstPage"/> on, following <c>rel="next"</c> until there is none.</summary>
    public async IAsyncEnumerable<HubModelPage> ListPagesAsync(Uri firstPage, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var visited = new HashSet<string>(StringComparer.Ordinal);
        Uri? url = firstPage;
        while (url is not null)
        {
            if (!visited.Add(url.AbsoluteUri))
            {
                throw new HubRequestException($"GET {url} was already read in this listing: the Link header loops back", url, 200);
            }

            var (models, next) = await FetchPageAsync(url, cancellationToken);
            yield return new HubModelPage(url, models);
            url = next;
        }
    }

    /// <summary>One model's info, or null when the Hub says it does not exist (or is private to someone else).</summary>
    public async Task<HubModel?> GetModelAsync(string id, CancellationToken cancellationToken = default)
    {
        var url = ModelUrl(id);
        for (var attempt = 1; ; attempt++)
        {
            using var response = await SendAsync(url, allowNotFound: true, cancellationToken);
            if (response is null)
            {
                return null;
            }

            try
            {
                return JsonSerializer.Deserialize(await response.Content.ReadAsStreamAsync(cancellationToken), HubJsonContext.Default.HubModel);
            }
            catch (JsonException exception)
            {
                await AfterMalformedBodyAsync(url, attempt, exception, cancellationToken);
            }
        }
    }

    private async Task<(List<HubModel> Models, Uri? Next)> FetchPageAsync(Uri url, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var response = await SendAsync(url, allowNotFound: false, cancellationToken)
                ?? throw new InvalidOperationException("A listing never answers 404 here.");
            try
            {
                var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
                var models = JsonSerializer.Deserialize(stream, HubJsonContext.Default.ListHubModel)
                    ?? throw new JsonException("The page is null, not an array.");
                return (models, LinkHeader.Next(response.Headers));
            }
            catch (JsonException exception)
            {
                await AfterMalformedBodyAsync(url, attempt, exception, cancellationToken);
            }
        }
    }

    /// <summary>
    /// A 200 whose body is not the JSON it should be (cut off mid-array, say) is retried like a 5xx; nothing of the
    /// page has been handed out yet, so a retry loses and doubles nothing.
    /// </summary>
    private async Task AfterMalformedBodyAsync(Uri url, int attempt, JsonException exception, CancellationToken cancellationToken)
    {
        if (attempt >= options.Value.MaxAttempts)
        {
            throw new HubRequestException(
                $"GET {url} failed after {attempt} attempts: the body was not valid JSON ({exception.Message}); last status 200",
                url, 200, exception);
        }

        stats.AddRetry();
        var delay = HubBackoff.Delay(attempt, options.Value);
        LogMalformedBody(url, attempt, delay, exception.Message);
        await Task.Delay(delay, time, cancellationToken);
    }

    private async Task<HttpResponseMessage?> SendAsync(Uri url, bool allowNotFound, CancellationToken cancellationToken)
    {
        await pacer.WaitTurnAsync(cancellationToken);
        var call = HubCall.Begin(url);
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(url, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested
            && exception is HttpRequestException or TimeoutRejectedException or TaskCanceledException or IOException)
        {
            var reason = exception is TimeoutRejectedException or TaskCanceledException ? "timed out" : exception.Message;
            throw new HubRequestException(
                $"GET {url} failed after {call.Attempts} attempts: {reason}; last status {call.LastStatus?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}",
                url, call.LastStatus, exception);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        var status = (int)response.StatusCode;
        response.Dispose();
        if (allowNotFound && response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        throw new HubRequestException(
            $"GET {url} failed after {call.Attempts} attempts; last status {status} {response.ReasonPhrase}".TrimEnd(),
            url, status);
    }

    private Uri ApiUrl(string relative)
    {
        var root = options.Value.BaseUrl.AbsoluteUri;
        return new Uri(new Uri(root.EndsWith('/') ? root : root + "/"), relative);
    }

    internal static string UserAgent()
    {
        var version = typeof(HubClient).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>()
            .FirstOrDefault()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+');
        return new StringBuilder("OpenModelWatch/").Append(plus > 0 ? version[..plus] : version).ToString();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hub page {Url} was not valid JSON (attempt {Attempt}); retrying in {Delay}: {Reason}")]
    private partial void LogMalformedBody(Uri url, int attempt, TimeSpan delay, string reason);
}
