using OpenModelWatch.FakeHub.Catalogs;

namespace OpenModelWatch.Tests.TestSupport;

/// <summary>Hand-built fake Hub models for lineage tests: each parent is <c>relation:namespace/name</c>, tagged as the Hub tags it.</summary>
public static class LineageModels
{
    public static FakeModel Model(string id, long downloads, params string[] parents) => new()
    {
        Id = id,
        CreatedAt = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero),
        LastModified = new DateTimeOffset(2025, 6, 2, 0, 0, 0, TimeSpan.Zero),
        Downloads = downloads,
        DownloadsAllTime = downloads * 3,
        Likes = downloads / 1000,
        TrendingScore = 1,
        Tags = ["transformers", "license:apache-2.0", .. parents.SelectMany(p => new[] { "base_model:" + p.Split(':')[1], "base_model:" + p })],
    };
}
