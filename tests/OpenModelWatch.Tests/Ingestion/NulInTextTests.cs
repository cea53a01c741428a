using Microsoft.EntityFrameworkCore;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Ingestion;

/// <summary>
/// A NUL (U+0000) inside a listed record's text fields (<c>pipeline_tag</c>, <c>library_name</c>, its tags, so the
/// licence and the <c>base_model:</c> parents): PostgreSQL's <c>text</c> cannot hold one, and before this an insert of
/// such a record failed the whole run there (SQLite stored it). Now the field is left unknown with a reason, the run
/// succeeds, a model the store had keeps what it knew, and both stores end with the same rows.
/// Run on both stores (SQLite, PostgreSQL).
/// </summary>
public abstract class NulInTextTests(StoreProvider provider) : FakeHubFixture(provider)
{
    public sealed class OnSqlite() : NulInTextTests(StoreProvider.Sqlite);

    public sealed class OnPostgres() : NulInTextTests(StoreProvider.PostgreSQL);

    private const int Models = 900; // 300 a namespace

    private static readonly string[] _namespaces = ["alpha", "beta", "gamma"];

    // Every 7th record of a listing (42 of each namespace's 300) has a NUL in its text fields; 43 of the 126 name parents.
    private const int Garbled = 126;
    private const int GarbledWithParents = 43;

    private static GeneratedCatalog Clean() => new(Models, _namespaces);

    private static GeneratedCatalog WithNuls() => new(Models, _namespaces) { MalformedEvery = 7, MalformedKinds = [MalformedKind.TextNul] };

    private readonly SwitchableCatalog _catalog = new(Clean());

    protected override FakeHubOptions HubOptions => new() { Catalog = _catalog, MaxPageSize = 100 };

    private const string Reasons =
        "control character in library_name: 126; control character in license: 126; control character in pipeline_tag: 126; control character in base_model: 43";

    [Fact]
    public async Task AModelTheStoreKnowsKeepsItsTextFieldsTheRunSucceedsAndEarlierRunsAreUntouched()
    {
        var host = await StartIngestionHostAsync([("alpha", "US"), ("beta", "CN"), ("gamma", "FR")]);
        var first = await host.Runner.RunAsync(RunTrigger.Manual, TestContext.Current.CancellationToken);
        Assert.True(first.Succeeded, first.Error);
        var textBefore = await TextFieldsAsync(host);
        var firstRunBefore = await CountsAsync(host, first.RunId!.Value);
        Assert.Equal(Models, textBefore.Count);
        Assert.Equal(Models, firstRunBefore.Count);

        _catalog.Current = WithNuls();
        var second = await host.Runner.RunAsync(RunTrigger.Manual, TestContext.Current.CancellationToken);

        Assert.True(second.Succeeded, second.Error);
        Assert.Equal((Garbled, GarbledWithParents), GarbledServed());
        await using var db = await host.DbAsync();
        var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == second.RunId, TestContext.Current.CancellationToken);
        Assert.Equal((Models, 0, Garbled), (run.Models, run.Rejected, run.UnknownFields));
        Assert.Equal(Reasons, run.UnknownFieldReasons);

        // Every model has the task, library, licence and lineage the first run stored: the garbled ones kept theirs.
        Assert.Equal(textBefore, await TextFieldsAsync(host));
        Assert.Equal(firstRunBefore, await CountsAsync(host, first.RunId.Value));

        // The garbled models are in the second run with their exact 30-day downloads, as every other model.
        var served = _namespaces.SelectMany(ns => _catalog.List(ns, ModelSort.None)).ToDictionary(r => r.Model.Id, r => r.Model.Downloads, StringComparer.Ordinal);
        Assert.Equal(served.OrderBy(p => p.Key, StringComparer.Ordinal), (await CountsAsync(host, second.RunId!.Value)).OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task AModelNewToTheStoreHasItsGarbledTextFieldsUnknownAndEveryOtherModelItsOwn()
    {
        _catalog.Current = WithNuls();
        var host = await StartIngestionHostAsync([("alpha", "US"), ("beta", "CN"), ("gamma", "FR")]);

        var outcome = await host.Runner.RunAsync(RunTrigger.Manual, TestContext.Current.CancellationToken);

        Assert.True(outcome.Succeeded, outcome.Error);
        await using (var db = await host.DbAsync())
        {
            var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == outcome.RunId, TestContext.Current.CancellationToken);
            Assert.Equal((Models, 0, Garbled), (run.Models, run.Rejected, run.UnknownFields));
            Assert.Equal(Reasons, run.UnknownFieldReasons);
        }

        var garbled = _namespaces.SelectMany(_catalog.MalformedIn).Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        var expected = _namespaces.SelectMany(ns => _catalog.List(ns, ModelSort.None)).Select(record => record.Model)
            .ToDictionary(
                model => model.Id,
                model => garbled.Contains(model.Id)
                    ? new TextFields(null, null, null, null)
                    : new TextFields(model.PipelineTag, model.LibraryName, License(model), FirstParent(model)),
                StringComparer.Ordinal);
        var stored = await TextFieldsAsync(host);
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), stored.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(Garbled, stored.Values.Count(fields => fields == new TextFields(null, null, null, null)));
        Assert.DoesNotContain(stored.Values, fields => $"{fields}".Contains('\0', StringComparison.Ordinal));
    }

    private sealed record TextFields(string? Task, string? Library, string? License, string? BaseModel);

    /// <summary>The garbled records the Hub serves, and how many of them name a parent.</summary>
    private (int Records, int WithParents) GarbledServed()
    {
        var ids = _namespaces.SelectMany(_catalog.MalformedIn).Select(m => m.Id).ToArray();
        return (ids.Length, ids.Count(id => _catalog.Find(id)!.Tags.Any(tag => tag.StartsWith("base_model:", StringComparison.Ordinal))));
    }

    private static string? License(FakeModel model) =>
        model.Tags.FirstOrDefault(tag => tag.StartsWith("license:", StringComparison.Ordinal))?["license:".Length..];

    private static string? FirstParent(FakeModel model) =>
        model.Tags.FirstOrDefault(tag => tag.StartsWith("base_model:", StringComparison.Ordinal))?["base_model:".Length..];

    private static async Task<Dictionary<string, TextFields>> TextFieldsAsync(IngestionHost host)
    {
        await using var db = await host.DbAsync();
        return await db.Models.AsNoTracking().Where(m => m.LastSeenRunId != 0)
            .ToDictionaryAsync(m => m.HubId, m => new TextFields(m.Task, m.Library, m.License, m.BaseModel), StringComparer.Ordinal, TestContext.Current.CancellationToken);
    }

    private static async Task<Dictionary<string, long>> CountsAsync(IngestionHost host, int runId)
    {
        await using var db = await host.DbAsync();
        return await db.Snapshots.Where(s => s.RunId == runId).Select(s => new { s.Model!.HubId, s.Downloads30d })
            .ToDictionaryAsync(s => s.HubId, s => s.Downloads30d, StringComparer.Ordinal, TestContext.Current.CancellationToken);
    }
}
