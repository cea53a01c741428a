using System.Net;
using System.Text.Json;

namespace OpenModelWatch.Tests.Store;

/// <summary>
/// Pages and API answers read while a run writes: a view's read transaction must not take SQLite's write lock. With
/// Microsoft.Data.Sqlite's default (<c>BEGIN IMMEDIATE</c>) every view waited for a run's final transaction (at 3 million
/// models about two minutes) and failed after 30 s with "database is locked"; found on a 3M store, where the start-up
/// warm-up's views alone held the lock past a minute.
/// </summary>
public sealed class ReadersDuringRunTests(GridReferenceTests.SqliteStore store) : IClassFixture<GridReferenceTests.SqliteStore>
{
    [Fact]
    public async Task AViewIsAnsweredWhileARunHoldsTheWriteLockAndSeesTheStoreAsItWasBeforeIt()
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var http = store.App.CreateClient();
        http.Timeout = TimeSpan.FromSeconds(20);
        var before = await http.GetFromJsonAsync<JsonElement>($"/api/v1/models?run={store.LatestRun}&limit=3", cancellation);

        // A run's final transaction, as the writer holds it: the write lock taken, a change not yet committed.
        using var writer = store.Folder.Store.Open();
        using var transaction = writer.BeginTransaction();
        using (var command = writer.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "UPDATE Models SET Downloads30d = Downloads30d + 1000000000 WHERE Downloads30d IS NOT NULL";
            Assert.True(command.ExecuteNonQuery() > 0);
        }

        // Addresses not asked before, so the output cache cannot answer them; a view that waited for the lock would
        // fail after SQLite's 30 s busy wait, past the client's 20 s.
        var answer = await http.GetAsync($"/api/v1/models?run={store.LatestRun}&limit=3&offset=0", cancellation);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var during = await answer.Content.ReadFromJsonAsync<JsonElement>(cancellation);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/countries?limit=5", cancellation)).StatusCode);

        // The uncommitted change is not seen: the same models, the same counts.
        Assert.Equal(Downloads(before), Downloads(during));
        transaction.Rollback();
    }

    private static string Downloads(JsonElement page) =>
        string.Join(',', page.GetProperty("items").EnumerateArray().Select(item => $"{item.GetProperty("id").GetString()}={item.GetProperty("downloads30d").GetInt64()}"));
}
