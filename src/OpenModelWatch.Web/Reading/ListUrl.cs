using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using OpenModelWatch.Web.Localization;

namespace OpenModelWatch.Web.Reading;

/// <summary>
/// A list view's state in its page address. Filters and sort use the API's parameter names and are read by the
/// API's own parser, so a page accepts and rejects exactly what <c>/api/v1</c> does; paging is <c>page</c> (from 1)
/// and <c>size</c> rather than <c>offset</c> and <c>limit</c>. Defaults are left out, so every view has one address.
/// A page's address also keeps its language (<c>lang</c>): a link copied or shared opens in the language it was read in.
/// </summary>
public static class ListUrl
{
    public const int DefaultSize = 25;
    private const string NoSort = "none";
    public static readonly IReadOnlyList<int> Sizes = [25, 50, 100];

    /// <summary>Reads a page address; throws <see cref="ParameterException"/> naming the parameter, like the API.</summary>
    public static ListParameters Parse(string uri, IReadOnlyCollection<string> sortFields, string defaultSort)
    {
        var query = new QueryCollection(QueryHelpers.ParseQuery(new Uri(uri).Query));
        var parameters = ListParametersParser.Parse(query, sortFields, defaultSort);
        var size = ListParametersParser.Integer(query, "size", DefaultSize, 1, ListParameters.MaxLimit);
        var page = ListParametersParser.Integer(query, "page", 1, 1, int.MaxValue / ListParameters.MaxLimit);
        var adjusted = ListParametersParser.Adjusted(query);

        // A page always shows the as-of run: run= pins only the API and the files.
        return parameters with { Limit = size, Offset = (page - 1) * size, Run = null, Adjusted = adjusted };
    }

    /// <summary>Whether a page's address asks for the adjusted view beside the raw shares (<c>adjusted=true</c>).</summary>
    public static bool ParseAdjusted(string uri) => Parse(uri, [NoSort], NoSort).Adjusted;

    /// <summary>Reads only how a page counts (<c>attribution</c>, <c>scope</c>, <c>community</c>, <c>compare</c>), for pages without a list's filters.</summary>
    public static CountingView ParseView(string uri) => CountingView.Of(Parse(uri, [NoSort], NoSort));

    /// <summary>The query parameters of a view, for <c>NavigationManager.GetUriWithQueryParameters</c>.</summary>
    public static IReadOnlyDictionary<string, object?> ToQuery(ListParameters parameters, string defaultSort) => new Dictionary<string, object?>
    {
        ["attribution"] = parameters.Attribution == Attribution.Origin ? "origin" : null,
        ["scope"] = parameters.Scope == Scope.Census ? "census" : null,
        ["community"] = parameters.IncludeCommunity ? "include" : null,
        ["compare"] = parameters.Compare == Compare.All ? "all" : null,
        ["adjusted"] = parameters.Adjusted ? "true" : null,
        ["country"] = parameters.Countries.Count == 0 ? null : parameters.Countries.ToArray(),
        ["region"] = parameters.Region,
        ["lab"] = parameters.Lab,
        ["task"] = parameters.Task,
        ["license"] = parameters.License,
        ["minParameters"] = parameters.MinParameters?.ToString(CultureInfo.InvariantCulture),
        ["maxParameters"] = parameters.MaxParameters?.ToString(CultureInfo.InvariantCulture),
        ["createdFrom"] = parameters.CreatedFrom?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["createdTo"] = parameters.CreatedTo?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["q"] = parameters.Q,
        ["sort"] = parameters.Sort == defaultSort ? null : parameters.Sort,
        ["order"] = parameters.Ascending ? "asc" : null,
        ["page"] = parameters.Offset == 0 ? null : (parameters.Offset / parameters.Limit + 1).ToString(CultureInfo.InvariantCulture),
        ["size"] = parameters.Limit == DefaultSize ? null : parameters.Limit.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// The page address of a view: <paramref name="baseUri"/>'s path with the view's query and its language: the
    /// <c>lang</c> <paramref name="baseUri"/> has, else the reader's language when it is not English.
    /// </summary>
    public static string ToUri(string baseUri, ListParameters parameters, string defaultSort) =>
        ToUri(baseUri, parameters, defaultSort, withLanguage: true);

    private static string ToUri(string baseUri, ListParameters parameters, string defaultSort, bool withLanguage)
    {
        var uri = new Uri(baseUri);
        var path = uri.GetLeftPart(UriPartial.Path);
        var query = ToQuery(parameters, defaultSort);
        var pairs = new List<KeyValuePair<string, string?>>();
        foreach (var (name, value) in query)
        {
            switch (value)
            {
                case string[] values:
                    pairs.AddRange(values.Select(v => new KeyValuePair<string, string?>(name, v)));
                    break;
                case string text:
                    pairs.Add(new KeyValuePair<string, string?>(name, text));
                    break;
            }
        }

        if (withLanguage && Language(uri.Query) is { } language)
        {
            pairs.Add(new(Languages.QueryKey, language));
        }

        return QueryHelpers.AddQueryString(path, pairs);
    }

    /// <summary>An address with its language added when it has none and the reader's is not English (Copy link).</summary>
    public static string WithLanguage(string uri)
    {
        var parsed = new Uri(uri);
        return QueryHelpers.ParseQuery(parsed.Query).ContainsKey(Languages.QueryKey) || Language(parsed.Query) is not { } language
            ? uri
            : QueryHelpers.AddQueryString(uri, Languages.QueryKey, language);
    }

    /// <summary>The language an address keeps: its own supported <c>lang</c>, else the reader's when not English, else none.</summary>
    private static string? Language(string query)
    {
        var asked = QueryHelpers.ParseQuery(query).TryGetValue(Languages.QueryKey, out var value) ? value.ToString() : null;
        return Languages.IsSupported(asked) ? asked!.ToLowerInvariant()
            : Languages.Current != Languages.Default ? Languages.Current
            : null;
    }

    /// <summary>
    /// The same view from the API: its filters and sort, with <c>limit</c> and <c>offset</c>. Raw: a page's
    /// <c>adjusted=true</c> adds a panel beside its list, and the panel links its own answer.
    /// </summary>
    public static string ToApiUri(string apiPath, ListParameters parameters, string defaultSort)
    {
        var view = ToUri("http://localhost" + apiPath, parameters with { Offset = 0, Limit = ListUrl.DefaultSize, Adjusted = false }, defaultSort, withLanguage: false);
        var paging = new Dictionary<string, string?>
        {
            ["limit"] = parameters.Limit.ToString(CultureInfo.InvariantCulture),
            ["offset"] = parameters.Offset == 0 ? null : parameters.Offset.ToString(CultureInfo.InvariantCulture),
        };
        var uri = QueryHelpers.AddQueryString(view, paging.Where(pair => pair.Value is not null));
        return new Uri(uri).PathAndQuery;
    }

    /// <summary>How a page counts, in its address: <c>attribution=origin&amp;scope=census</c>, defaults left out.</summary>
    public static List<KeyValuePair<string, string?>> ViewQuery(ListParameters p)
    {
        var query = new List<KeyValuePair<string, string?>>();
        if (p.Attribution == Attribution.Origin)
        {
            query.Add(new("attribution", "origin"));
        }

        if (p.Scope == Scope.Census)
        {
            query.Add(new("scope", "census"));
        }

        if (p.Compare == Compare.All)
        {
            query.Add(new("compare", "all"));
        }

        if (p.Adjusted)
        {
            query.Add(new("adjusted", "true"));
        }

        AddLanguage(query);
        return query;
    }

    /// <summary>A list page's address pairs for a view, without its paging (<c>page</c>, <c>size</c>), as the page writes them, with the reader's language when not English.</summary>
    public static List<KeyValuePair<string, string?>> ToPairs(ListParameters p, string defaultSort)
    {
        var pairs = ToQuery(p, defaultSort)
            .Where(pair => pair.Key is not ("page" or "size"))
            .SelectMany(pair => pair.Value switch
            {
                string[] values => values.Select(value => new KeyValuePair<string, string?>(pair.Key, value)),
                string value => [new KeyValuePair<string, string?>(pair.Key, value)],
                _ => [],
            })
            .ToList();
        AddLanguage(pairs);
        return pairs;
    }

    // A page link written by a file (a chart's or a table's permalink) opens in the file's language.
    private static void AddLanguage(List<KeyValuePair<string, string?>> pairs)
    {
        if (Languages.Current != Languages.Default)
        {
            pairs.Add(new(Languages.QueryKey, Languages.Current));
        }
    }
}
