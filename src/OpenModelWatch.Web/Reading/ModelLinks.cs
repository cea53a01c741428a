namespace OpenModelWatch.Web.Reading;

/// <summary>Where a model's page is: <c>/models/{namespace}/{name}</c>, each part escaped.</summary>
public static class ModelLinks
{
    public static string Page(string hubId)
    {
        var slash = hubId.IndexOf('/');
        return slash < 0
            ? "/models/" + Uri.EscapeDataString(hubId)
            : "/models/" + Uri.EscapeDataString(hubId[..slash]) + "/" + Uri.EscapeDataString(hubId[(slash + 1)..]);
    }
}
