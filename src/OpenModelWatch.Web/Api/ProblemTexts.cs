using System.Text.RegularExpressions;
using OpenModelWatch.Web.Files;

namespace OpenModelWatch.Web.Api;

/// <summary>
/// Problem details in the language of the address (<c>lang=es</c>): their <c>title</c> and, where this app knows the
/// fault, their <c>detail</c>. Their <c>type</c>, <c>status</c> and the <c>parameter</c> a program reads stay as they
/// are, and a problem in English (no <c>lang</c>, or <c>lang=en</c>) is exactly what it always was. The detail of a
/// bad parameter is translated when its reason has one of the parsers' known shapes, else keeps its English reason after
/// a Spanish sentence naming the parameter; a bad <c>lang</c> itself chose no language, so its problem is English.
/// </summary>
public static class ProblemTexts
{
    // The shapes of the parsers' English reasons, each with its translation (Problem.Reason.*); a reason of another shape
    // stays English after the translated sentence naming the parameter.
    private static readonly (Regex Shape, string Key)[] _reasons =
    [
        (new Regex(@"^""(?<v>.*)"" is not a whole number from (?<a>\d+) to (?<b>\d+)\.$"), "WholeRange"),
        (new Regex(@"^""(?<v>.*)"" is not a whole number of 0 or more\.$"), "WholeNotNegative"),
        (new Regex(@"^""(?<v>.*)"" is not a date \(yyyy-MM-dd\)\.$"), "Date"),
        (new Regex(@"^is given more than once with different values\.$"), "Repeated"),
        (new Regex(@"^is longer than (?<a>\d+) characters\.$"), "TooLong"),
        (new Regex(@"^is after (?<a>\w+)\.$"), "After"),
        (new Regex(@"^is greater than (?<a>\w+)\.$"), "Greater"),
        (new Regex(@"^(?<v>\d+) is not a succeeded run \(see (?<a>[^)]+)\)\.$"), "Run"),
        (new Regex(@"^""(?<v>.*)"" is not an ISO 3166-1 alpha-2 country code \(use XX for unknown\)\.$"), "Country"),
        (new Regex(@"^""(?<v>.*)"" is not an? [^(]+ \((?:one of )?(?<a>[^:;()]+)\)\.$"), "OneOf"),
        (new Regex(@"^""(?<v>.*)"" is not one of (?<a>.+)\.$"), "OneOf"),
        (new Regex(@"^""(?<v>.*)"" is not (?<a>[a-z]+) or (?<b>[a-z]+)\.$"), "Neither"),
    ];

    public static void Translate(ProblemDetailsContext context)
    {
        if (!FileTexts.Translated)
        {
            return;
        }

        var problem = context.ProblemDetails;
        if (problem.Extensions.TryGetValue("parameter", out var value) && value is string parameter)
        {
            if (parameter == Localization.Languages.QueryKey)
            {
                // The language itself is at fault (lang=ES, lang=es&lang=en): no language was chosen, so English.
                return;
            }

            problem.Title = FileTexts.Get("Problem.InvalidParameter", parameter);
            // The English sentence starts with the parameter's name ("run: 99 is not …"): said once, in Spanish.
            var reason = problem.Detail is { } detail && detail.StartsWith(parameter + ": ", StringComparison.Ordinal) ? detail[(parameter.Length + 2)..] : problem.Detail;
            problem.Detail = FileTexts.Get("Problem.InvalidParameterDetail", parameter, Reason(reason ?? ""));
        }
        else if (problem.Status == StatusCodes.Status404NotFound)
        {
            problem.Title = FileTexts.Get("Problem.NotFound");
            problem.Detail = FileTexts.Get("Problem.NotFoundDetail", context.HttpContext.Request.Path.Value ?? "");
        }
        else if (problem.Status == StatusCodes.Status409Conflict)
        {
            problem.Title = FileTexts.Get("Problem.Conflict");
        }
    }

    /// <summary>A parser's English reason in the current language, when it has one of the known shapes.</summary>
    private static string Reason(string english)
    {
        foreach (var (shape, key) in _reasons)
        {
            if (shape.Match(english) is { Success: true } match)
            {
                // Lists of values read "a, b or c" in English and "a, b o c" in Spanish.
                var list = match.Groups["a"].Value.Replace(" or ", " " + FileTexts.Get("Problem.Or") + " ", StringComparison.Ordinal);
                return FileTexts.Get("Problem.Reason." + key, match.Groups["v"].Value, list, match.Groups["b"].Value);
            }
        }

        return english;
    }
}
