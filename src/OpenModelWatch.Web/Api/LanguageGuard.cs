using OpenModelWatch.Web.Files;
using OpenModelWatch.Web.Localization;
using OpenModelWatch.Web.Reading;

namespace OpenModelWatch.Web.Api;

/// <summary>
/// <c>lang=</c> on the API and the files (charts, exports, embeds) must name a language of the dashboard: a file's
/// language comes from its address only, so <c>lang=fr</c> is a 400 problem naming <c>lang</c> rather than an English
/// file that looks like an answer. Pages are lenient: an unknown <c>lang</c> falls back to the reader's own language.
/// </summary>
public sealed class LanguageGuard(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (ExportPaths.TakesParameters(context.Request.Path) && context.Request.Query.ContainsKey(Languages.QueryKey))
        {
            try
            {
                Parse(context.Request.Query);
            }
            catch (ParameterException exception)
            {
                await exception.ToProblem().ExecuteAsync(context);
                return;
            }
        }

        await next(context);
    }

    /// <summary>The language a file's address asks for (English when none); throws <see cref="ParameterException"/> naming <c>lang</c>.</summary>
    public static string Parse(IQueryCollection query)
    {
        var asked = ListParametersParser.Single(query, Languages.QueryKey);
        return asked is null ? Languages.Default
            : Languages.Supported.Contains(asked, StringComparer.Ordinal) ? asked
            : throw new ParameterException(Languages.QueryKey,
                $"\"{(asked.Length > 40 ? asked[..40] + "…" : asked)}\" is not a language of OpenModelWatch (one of {string.Join(", ", Languages.Supported)}).");
    }
}
