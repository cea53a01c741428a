using System.Globalization;
using Microsoft.Extensions.Primitives;
using OpenModelWatch.Web.Registry;

namespace OpenModelWatch.Web.Reading;

/// <summary>The filters and paging every list takes (the HTTP API's query parameters). Parsed once, used by the API and the pages alike.</summary>
public sealed record ListParameters
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public IReadOnlyList<string> Countries { get; init; } = [];
    public string? Region { get; init; }
    public string? Lab { get; init; }
    public string? Task { get; init; }
    public Attribution Attribution { get; init; } = Attribution.Uploader;
    public Scope Scope { get; init; } = Scope.All;

    /// <summary>Labs only: list unregistered namespaces as community uploaders too (uploader attribution).</summary>
    public bool IncludeCommunity { get; init; }
    public int Limit { get; init; } = DefaultLimit;
    public int Offset { get; init; }
    public string? Sort { get; init; }
    public bool Ascending { get; init; }

    /// <summary>Substring of a model id (models only).</summary>
    public string? Q { get; init; }

    /// <summary>Licence, as the Hub's <c>license:</c> tag names it (models only).</summary>
    public string? License { get; init; }

    /// <summary>Size range in parameters, inclusive; a model of unknown size is left out once either bound is set.</summary>
    public long? MinParameters { get; init; }

    public long? MaxParameters { get; init; }

    /// <summary>Creation date range, whole UTC days, inclusive; a model of unknown creation date is left out once either is set.</summary>
    public DateOnly? CreatedFrom { get; init; }

    public DateOnly? CreatedTo { get; init; }

    /// <summary>The succeeded run the answer is pinned to (<c>run=</c>, a permalink); null for the as-of run.</summary>
    public int? Run { get; init; }

    /// <summary>How a share over time compares runs of different sources (<c>compare=like|all</c>); histories only.</summary>
    public Compare Compare { get; init; } = Compare.Like;

    /// <summary>
    /// A page's <c>adjusted=true</c>: show beside the raw figures the same with inflated counts left out. The API and
    /// the files read <c>adjusted=</c> themselves (<c>Flags/AdjustedRoutes</c>): a list of groups answers its
    /// adjusted view, the items of <c>/api/v1/adjusted-shares</c>.
    /// </summary>
    public bool Adjusted { get; init; }
}

/// <summary>A query parameter the API cannot accept; becomes a 400 problem response naming it.</summary>
public sealed class ParameterException(string parameter, string message) : Exception(message)
{
    public string Parameter { get; } = parameter;

    /// <summary>A 400 <c>application/problem+json</c> whose <c>parameter</c> names what was wrong.</summary>
    public IResult ToProblem() => Results.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: $"Invalid parameter: {Parameter}",
        detail: $"{Parameter}: {Message}",
        extensions: new Dictionary<string, object?> { ["parameter"] = Parameter });
}

public static class ListParametersParser
{
    private const int MaxTextLength = 200;

    /// <summary>Reads the common list parameters; <paramref name="sortFields"/> are the fields <c>sort</c> may name.</summary>
    public static ListParameters Parse(IQueryCollection query, IReadOnlyCollection<string> sortFields, string defaultSort)
    {
        var countries = new List<string>();
        foreach (var raw in query["country"].SelectMany(value => (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!CountryCodes.TryNormalize(raw, out var code))
            {
                throw new ParameterException("country", $"\"{Truncate(raw)}\" is not an ISO 3166-1 alpha-2 country code (use XX for unknown).");
            }

            if (!countries.Contains(code))
            {
                countries.Add(code);
            }
        }

        string? region = null;
        if (Single(query, "region") is { } regionText)
        {
            region = Regions.TryNormalize(regionText, out var normalized)
                ? normalized
                : throw new ParameterException("region", $"\"{Truncate(regionText)}\" is not a region (one of {string.Join(", ", Regions.All)}).");
        }

        var attribution = Single(query, "attribution") switch
        {
            null or "uploader" => Attribution.Uploader,
            "origin" => Attribution.Origin,
            var other => throw new ParameterException("attribution", $"\"{Truncate(other)}\" is not an attribution (uploader or origin)."),
        };

        var scope = Single(query, "scope") switch
        {
            null or "all" => Scope.All,
            "census" => Scope.Census,
            var other => throw new ParameterException("scope", $"\"{Truncate(other)}\" is not a scope (all or census)."),
        };

        var includeCommunity = Single(query, "community") switch
        {
            null or "exclude" => false,
            "include" => true,
            var other => throw new ParameterException("community", $"\"{Truncate(other)}\" is not include or exclude."),
        };

        var sort = Single(query, "sort") ?? defaultSort;
        if (!sortFields.Contains(sort))
        {
            throw new ParameterException("sort", $"\"{Truncate(sort)}\" is not a sort field (one of {string.Join(", ", sortFields)}).");
        }

        var ascending = Single(query, "order") switch
        {
            null or "desc" => false,
            "asc" => true,
            var other => throw new ParameterException("order", $"\"{Truncate(other)}\" is not an order (asc or desc)."),
        };

        var compare = Single(query, "compare") switch
        {
            null or "like" => Compare.Like,
            "all" => Compare.All,
            var other => throw new ParameterException("compare", $"\"{Truncate(other)}\" is not a comparison (like: like with like across sources; all: each run's own totals)."),
        };

        var minParameters = Long(query, "minParameters");
        var maxParameters = Long(query, "maxParameters");
        if (minParameters > maxParameters)
        {
            throw new ParameterException("minParameters", "is greater than maxParameters.");
        }

        var createdFrom = Date(query, "createdFrom");
        var createdTo = Date(query, "createdTo");
        if (createdFrom > createdTo)
        {
            throw new ParameterException("createdFrom", "is after createdTo.");
        }

        return new ListParameters
        {
            Countries = countries,
            Region = region,
            Lab = Text(query, "lab"),
            Task = Text(query, "task"),
            Attribution = attribution,
            Scope = scope,
            IncludeCommunity = includeCommunity,
            Limit = Integer(query, "limit", ListParameters.DefaultLimit, 1, ListParameters.MaxLimit),
            Offset = Integer(query, "offset", 0, 0, int.MaxValue),
            Sort = sort,
            Ascending = ascending,
            Q = Text(query, "q"),
            License = Text(query, "license"),
            MinParameters = minParameters,
            MaxParameters = maxParameters,
            CreatedFrom = createdFrom,
            CreatedTo = createdTo,
            Run = PinnedRun.Parse(query),
            Compare = compare,
        };
    }

    /// <summary>
    /// <c>from</c> and <c>to</c>: the first and last UTC day of the runs a history or chart spans, each optional;
    /// from after to is an error naming <c>from</c>.
    /// </summary>
    public static (DateOnly? From, DateOnly? To) Days(IQueryCollection query)
    {
        var from = Date(query, "from");
        var to = Date(query, "to");
        return from > to ? throw new ParameterException("from", "is after to.") : (from, to);
    }

    public static long? Long(IQueryCollection query, string name)
    {
        if (Single(query, name) is not { } text)
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ParameterException(name, $"\"{Truncate(text)}\" is not a whole number of 0 or more.");
    }

    public static DateOnly? Date(IQueryCollection query, string name)
    {
        if (Single(query, name) is not { } text)
        {
            return null;
        }

        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value)
            ? value
            : throw new ParameterException(name, $"\"{Truncate(text)}\" is not a date (yyyy-MM-dd).");
    }

    public static int Integer(IQueryCollection query, string name, int fallback, int min, int max)
    {
        if (Single(query, name) is not { } text)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ParameterException(name, $"\"{Truncate(text)}\" is not a whole number from {min} to {max}.");
    }

    public static string? Text(IQueryCollection query, string name)
    {
        var text = Single(query, name);
        if (text is { Length: > MaxTextLength })
        {
            throw new ParameterException(name, $"is longer than {MaxTextLength} characters.");
        }

        // PostgreSQL stores no NUL and refuses one in a parameter outright (SQLite would just match nothing): refused
        // here, the answer is the same 400 on both stores.
        if (text is not null && text.Contains('\0', StringComparison.Ordinal))
        {
            throw new ParameterException(name, "contains a NUL character (U+0000).");
        }

        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    /// <summary>The one value of a parameter; given twice with different values is an error, not a silent pick.</summary>
    public static string? Single(IQueryCollection query, string name)
    {
        StringValues values = query[name];
        var distinct = values.Where(value => value is not null).Distinct(StringComparer.Ordinal).ToArray();
        return distinct.Length switch
        {
            0 => null,
            1 => distinct[0],
            _ => throw new ParameterException(name, "is given more than once with different values."),
        };
    }

    /// <summary>A value quoted back in an error: its first 40 characters.</summary>
    public static string Truncate(string? text) => text is { Length: > 40 } ? text[..40] + "…" : text ?? "";

    /// <summary><c>adjusted=</c> (a page's, the API's, a file's): true or false, the default; anything else is an error naming it.</summary>
    public static bool Adjusted(IQueryCollection query) => Single(query, "adjusted") switch
    {
        null or "false" => false,
        "true" => true,
        var other => throw new ParameterException("adjusted", $"\"{Truncate(other)}\" is not true or false."),
    };
}

/// <summary>How a view counts models: which lab a model counts for, which models count, and whether labs list community uploaders.</summary>
public sealed record CountingView(Attribution Attribution, Scope Scope, bool IncludeCommunity = false)
{
    public static readonly CountingView Default = new(Attribution.Uploader, Scope.All);

    public static CountingView Of(ListParameters parameters) => new(parameters.Attribution, parameters.Scope, parameters.IncludeCommunity);

    /// <summary>The unfiltered list parameters of this view, as the API would read them.</summary>
    public ListParameters Parameters => new() { Attribution = Attribution, Scope = Scope, IncludeCommunity = IncludeCommunity };

    /// <summary>The regions a view's charts show: models of no known lab are Community by uploader, Unknown by origin.</summary>
    public IReadOnlyList<string> Regions => Attribution.Regions();
}
