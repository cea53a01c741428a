using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using OpenModelWatch.Web.Reading;

namespace OpenModelWatch.Web.Files;

/// <summary>
/// <c>/embed/{chart}</c>: one chart with minimal chrome, its as-of time and a link back to the page it comes from,
/// for an <c>&lt;iframe&gt;</c> in any site. A small static HTML page (no Blazor circuit per reader) showing the
/// chart's PNG (2x on sharp screens); framing is allowed here and only here (<see cref="ExportPaths.Embed"/>). Its words,
/// its chart and its links are in the language of its address (<c>lang=es</c>), which the image's address keeps.
/// </summary>
public static class EmbedPage
{
    /// <summary>The embed page of a chart path (<c>region-share</c>, <c>labs/alibaba-qwen/history</c>, …) with a query.</summary>
    public static string PathOf(string chart, string query = "") => $"{ExportPaths.Embed}/{chart}{query}";

    /// <summary>The content security policy of an embed: framed by any site, loading only its own chart.</summary>
    public const string FramePolicy = "frame-ancestors *; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'";

    /// <summary>The group every feature maps its embeds in: not part of the API's description.</summary>
    public static RouteGroupBuilder MapEmbedGroup(this IEndpointRouteBuilder app) => app.MapGroup(ExportPaths.Embed).ExcludeFromDescription();

    /// <summary>The embed page of a chart, or a 400/404 problem.</summary>
    public static async Task<IResult> AnswerAsync(HttpContext context, string chartPath, Func<ExportLinks, Task<Chart?>> build)
    {
        try
        {
            var size = ImageSize.Parse(context.Request.Query);
            var links = ExportLinks.For(context.Request, context.RequestServices.GetRequiredService<IOptions<ExportsOptions>>().Value);
            if (await build(links) is not { } built)
            {
                return ExportFiles.NotFound("Chart");
            }

            var chart = built.WithRunSources();

            // Any site may frame an embed; nothing is loaded from elsewhere. Set now, not when the response starts,
            // so that a cached copy carries it too.
            context.Response.Headers.Remove(HeaderNames.XFrameOptions);
            context.Response.Headers.ContentSecurityPolicy = FramePolicy;
            // Rebuilt from the parsed pairs: "?" and "" are one cache entry, and must give one page.
            var query = QueryString.Create(Pairs(context.Request.QueryString));
            return Results.Content(Html(chart, chartPath, query, links, size), "text/html; charset=utf-8", Encoding.UTF8);
        }
        catch (ParameterException exception)
        {
            return exception.ToProblem();
        }
    }

    // Another language's letters (ó, ñ, «») written as themselves, not as character references; English as it always was.
    private static readonly HtmlEncoder _anyLetters = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    private static HtmlEncoder Encoder => FileTexts.Translated ? _anyLetters : HtmlEncoder.Default;

    private static string Html(Chart chart, string chartPath, QueryString query, ExportLinks links, ImageSize size)
    {
        var html = Encoder;
        var image = $"{ExportPaths.Charts}/{chartPath}";
        var twice = QueryString.Create(Pairs(query, without: "scale").Append(new("scale", "2")));
        var alt = $"{chart.Info.Title}. {chart.Info.Filters}. {chart.Info.AsOfText}. {ExportInfo.SourceText}.";
        var width = size.Width.ToString(CultureInfo.InvariantCulture);
        var height = size.Height.ToString(CultureInfo.InvariantCulture);
        return $$"""
            <!DOCTYPE html>
            <html lang="{{Localization.Languages.Current}}">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex">
            <title>{{html.Encode(chart.Info.Title)}} · OpenModelWatch</title>
            <style>
            body{margin:0;background:#fff;color:#212121;font:13px/1.4 "DejaVu Sans",system-ui,sans-serif}
            figure{margin:0}img{display:block;width:100%;height:auto}
            figcaption{padding:4px 8px;color:#555}a{color:#1565c0}
            </style>
            </head>
            <body>
            <figure>
            <img src="{{html.Encode(image + ".png" + query)}}" srcset="{{html.Encode(image + ".png" + query)}} 1x, {{html.Encode(image + ".png" + twice)}} 2x" width="{{width}}" height="{{height}}" alt="{{html.Encode(alt)}}">
            <figcaption data-testid="embed-caption"><span data-testid="embed-as-of">{{html.Encode(chart.Info.AsOfText)}}</span> ·
            <a href="{{html.Encode(links.Absolute(ExportLinks.InLanguage(chart.PagePath)))}}" target="_blank" rel="noopener" data-testid="embed-link">{{html.Encode(FileTexts.Get("Embed.SeeIt"))}}</a> ·
            <a href="{{html.Encode(image + ".csv" + query)}}" target="_blank" rel="noopener">{{html.Encode(FileTexts.Get("Embed.Data"))}}</a> ·
            <a href="{{html.Encode(links.Method())}}" target="_blank" rel="noopener">{{html.Encode(FileTexts.Get("Embed.Method"))}}</a>{{Credit(chart.Info)}}</figcaption>
            </figure>
            </body>
            </html>
            """;
    }

    /// <summary>The credits of the chart's sources, under the chart as well as in the image's footer.</summary>
    private static string Credit(ExportInfo info) => info.Credit is { } credit
        ? $"<br><span data-testid=\"embed-credit\">{Encoder.Encode(credit)}</span>"
        : "";

    private static IEnumerable<KeyValuePair<string, string?>> Pairs(QueryString query, string? without = null) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query.Value)
            .Where(pair => !string.Equals(pair.Key, without, StringComparison.OrdinalIgnoreCase))
            .SelectMany(pair => pair.Value.Select(value => new KeyValuePair<string, string?>(pair.Key, value)));
}
