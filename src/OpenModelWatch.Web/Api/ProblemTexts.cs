using OpenModelWatch.Web.Files;

namespace OpenModelWatch.Web.Api;

/// <summary>
/// Problem details in the language of the address (<c>lang=es</c>): their <c>title</c> and, where this app knows the
/// fault, their <c>detail</c>. Their <c>type</c>, <c>status</c> and the <c>parameter</c> a program reads stay as they
/// are, and a problem in English (no <c>lang</c>, or <c>lang=en</c>) is exactly what it always was. The detail of a
/// bad parameter keeps its English explanation after a Spanish sentence naming the parameter; a bad <c>lang</c> itself
/// chose no language, so its problem is English.
/// </summary>
public static class ProblemTexts
{
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
            problem.Detail = FileTexts.Get("Problem.InvalidParameterDetail", parameter, reason ?? "");
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
}
