using OpenModelWatch.Web.Models;
using OpenModelWatch.Web.Reading;

namespace OpenModelWatch.Tests.Reading;

/// <summary>A list view's state in its address: written by <see cref="ListUrl"/>, read back by the API's own parser.</summary>
public sealed class ListUrlTests
{
    private const string Base = "http://dash.test/models";

    [Fact]
    public void EveryFilterSortAndPageSurvivesTheRoundTrip()
    {
        var view = new ListParameters
        {
            Attribution = Attribution.Origin,
            Scope = Scope.Census,
            Countries = ["CN", "FR"],
            Region = "Europe",
            Lab = "alibaba-qwen",
            Task = "text-generation",
            License = "apache-2.0",
            MinParameters = 1_000_000_000,
            MaxParameters = 70_000_000_000,
            CreatedFrom = new DateOnly(2025, 1, 1),
            CreatedTo = new DateOnly(2025, 12, 31),
            Q = "instruct 7b&more",
            Sort = "likes",
            Ascending = true,
            Limit = 50,
            Offset = 100,
        };

        var uri = ListUrl.ToUri(Base, view, "downloads30d");
        var read = ListUrl.Parse(uri, ModelLeaderboard.SortFields, "downloads30d");

        Assert.Equal(uri, ListUrl.ToUri(Base, read, "downloads30d"));
        Assert.Equal(view with { Countries = [] }, read with { Countries = [] });
        Assert.Equal(view.Countries, read.Countries);
        Assert.Contains("page=3", uri, StringComparison.Ordinal);
        Assert.Contains("size=50", uri, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDefaultViewHasABareAddress()
    {
        var read = ListUrl.Parse(Base, ModelLeaderboard.SortFields, "downloads30d");

        Assert.Equal(Base, ListUrl.ToUri(Base, read, "downloads30d"));
        Assert.Equal((0, ListUrl.DefaultSize, "downloads30d", false), (read.Offset, read.Limit, read.Sort, read.Ascending));
        Assert.Equal(CountingView.Default, CountingView.Of(read));
    }

    [Theory]
    [InlineData("?country=ZZ", "country")]
    [InlineData("?sort=name", "sort")]
    [InlineData("?page=0", "page")]
    [InlineData("?size=5000", "size")]
    [InlineData("?attribution=lab", "attribution")]
    [InlineData("?createdFrom=2025-13-01", "createdFrom")]
    [InlineData("?minParameters=9&maxParameters=1", "minParameters")]
    public void ABadParameterIsNamedAsTheApiNamesIt(string query, string parameter)
    {
        var exception = Assert.Throws<ParameterException>(() => ListUrl.Parse(Base + query, ModelLeaderboard.SortFields, "downloads30d"));

        Assert.Equal(parameter, exception.Parameter);
    }

    [Fact]
    public void TheSameViewInTheApiUsesLimitAndOffset()
    {
        var view = ListUrl.Parse(Base + "?country=US&sort=likes&page=2&size=50", ModelLeaderboard.SortFields, "downloads30d");

        Assert.Equal("/api/v1/models?country=US&sort=likes&limit=50&offset=50", ListUrl.ToApiUri("/api/v1/models", view, "downloads30d"));
    }
}
