using System.Globalization;
using OpenModelWatch.Web.Files;
using OpenModelWatch.Web.Reading;

namespace OpenModelWatch.Web.Api;

/// <summary>
/// A query string longer than <see cref="MaxLength"/> characters is a 400 problem naming its longest parameter, for
/// every path that takes parameters. Kestrel's request line limit is raised to <see cref="RequestLineLimit"/> so that
/// such a query reaches here; beyond that Kestrel itself answers 414, and headers beyond 32 KiB 431.
/// </summary>
public sealed class QueryLengthGuard(RequestDelegate next)
{
    public const int MaxLength = 4096;
    public const int RequestLineLimit = 32 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var query = context.Request.QueryString.Value ?? "";
        if (query.Length <= MaxLength || !ExportPaths.TakesParameters(context.Request.Path))
        {
            await next(context);
            return;
        }

        var longest = context.Request.Query
            .Select(pair => (Name: pair.Key, Length: pair.Key.Length + pair.Value.Sum(value => value?.Length ?? 0)))
            .OrderByDescending(pair => pair.Length)
            .Select(pair => pair.Name)
            .FirstOrDefault() ?? "query";
        var name = longest.Length > 40 ? longest[..40] + "…" : longest;
        await new ParameterException(
                name, $"the query string is {query.Length.ToString(CultureInfo.InvariantCulture)} characters long, more than {MaxLength.ToString(CultureInfo.InvariantCulture)}; this parameter is the longest part of it.")
            .ToProblem().ExecuteAsync(context);
    }
}
