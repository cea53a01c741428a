using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Playwright;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Components;

namespace OpenModelWatch.Tests.FirstPaint;

/// <summary>
/// No double query: a page loaded in real Chromium runs its database commands once, while the server prerenders it;
/// the interactive render that follows when the circuit connects takes the prerendered data (persistent component
/// state) and runs none. Counted from EF Core's own diagnostics (every command executed on this test's database file),
/// each tied to the HTTP request it ran in: every command of the load must be the page request's (the prerender), none
/// the circuit's. Left out: the background polls of <c>RunWatcher</c> (every two seconds, whatever the pages do) and
/// <c>ViewWarmup</c> (every 30 seconds, its SQL tagged), and
/// chart images, which the browser fetches as files of their own.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class CarriedStateTests(DashboardApp app, Browser browser)
{
    private const string ProbeTag = "CarriedStateTests probe";

    [Theory]
    [InlineData("/")]
    // The grid asks for its first page more than once as it settles; every ask is answered by the carried rows.
    [InlineData("/models")]
    [InlineData("/models?country=CN&sort=likes")]
    [InlineData("/models/Qwen/gen-model-0000000")]
    [InlineData("/labs")]
    [InlineData("/labs/lab-qwen")]
    [InlineData("/countries")]
    [InlineData("/concentration")]
    [InlineData("/derivatives")]
    [InlineData("/adoption")]
    // The adjusted view's panels carry their data too.
    [InlineData("/countries?adjusted=true")]
    [InlineData("/concentration?adjusted=true")]
    [InlineData("/labs/lab-qwen?adjusted=true")]
    [InlineData("/models/Qwen/gen-model-0000000?adjusted=true")]
    [InlineData("/derivatives?adjusted=true")]
    [InlineData("/models?adjusted=true")]
    public async Task TheInteractiveRenderRunsNoQueryOfItsOwn(string path)
    {
        using var counter = new CommandCounter(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(app.Folder.ConnectionString).DataSource);
        using (var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) })
        {
            // The carried state comes back over the circuit in its first message: it must fit the hub's limit.
            var html = await http.GetStringAsync(path, TestContext.Current.CancellationToken);
            var state = Regex.Match(html, "<!--Blazor-Server-Component-State:([^-]*)-->").Groups[1].Value.Length;
            Assert.InRange(state, 1, ComponentsSetup.MaxCircuitMessage / 2);
        }

        await using var page = await browser.NewPageAsync(app, Browser.Desktop);
        // A chart image (the adoption page's) is a file of its own the browser fetches, not part of the page's render.
        await page.Page.RouteAsync("**/charts/**", route => route.AbortAsync());
        counter.Reset();
        await page.Page.OpenAsync(path);
        await page.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        // The circuit's first render runs right after it connects; give it time to query if it were going to.
        await Task.Delay(1_000, TestContext.Current.CancellationToken);

        var commands = counter.Commands;
        var request = path.Split('?')[0]; // a command knows its request's path, not its query
        var prerender = commands.Count(command => command.Request == request);
        var others = commands.Where(command => command.Request != request).Select(command => $"{command.Request ?? "(no request: the circuit)"}: {command.Sql}").ToArray();
        if (prerender == 0)
        {
            // After other tests, a page can find everything it shows in the app's caches and run no command at all (the
            // adoption page, in a full run). Then the counter is shown to work by a query of the test's own, counted
            // outside any request.
            await using (var db = await app.Services.GetRequiredService<IDbContextFactory<OpenModelWatch.Web.Store.OpenModelWatchDb>>().CreateDbContextAsync(TestContext.Current.CancellationToken))
            {
                await db.Runs.TagWith(ProbeTag).CountAsync(TestContext.Current.CancellationToken);
            }

            Assert.Contains(counter.Commands, command => command.Request is null && command.Sql.Contains(ProbeTag, StringComparison.Ordinal));
        }

        Assert.True(others.Length == 0, $"{path}: {others.Length} commands besides the prerender's {prerender}:\n{string.Join("\n\n", others)}");
    }

    /// <summary>
    /// The commands EF Core executes on one SQLite file (from its DiagnosticListener, whichever context or pool ran them),
    /// each with the path of the HTTP request it ran in (ASP.NET Core's request activity, which the hosting layer starts
    /// for a listener): the page's address while it is prerendered, another address or none on the circuit.
    /// </summary>
    private sealed class CommandCounter : IObserver<DiagnosticListener>, IDisposable
    {
        private const string RunWatcherPoll = "SELECT MAX(\"r\".\"Id\")\nFROM \"Runs\" AS \"r\"\nWHERE \"r\".\"Status\" = 'Succeeded'";

        private readonly string _dataSource;
        private readonly List<IDisposable> _subscriptions = [];
        private readonly List<(string? Request, string Sql)> _commands = [];
        private readonly System.Runtime.CompilerServices.ConditionalWeakTable<Activity, string> _requests = [];

        public CommandCounter(string dataSource)
        {
            _dataSource = dataSource;
            _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
        }

        /// <summary>The commands since the last reset, in order, with their request's path (null outside any request).</summary>
        public (string? Request, string Sql)[] Commands
        {
            get
            {
                lock (_commands)
                {
                    return [.. _commands];
                }
            }
        }

        public void Reset()
        {
            lock (_commands)
            {
                _commands.Clear();
            }
        }

        public void OnNext(DiagnosticListener value)
        {
            IObserver<KeyValuePair<string, object?>>? observer = value.Name switch
            {
                DbLoggerCategory.Name => new Observer(OnCommand),
                "Microsoft.AspNetCore" => new Observer(OnRequest),
                _ => null,
            };
            if (observer is not null)
            {
                lock (_subscriptions)
                {
                    _subscriptions.Add(value.Subscribe(observer));
                }
            }
        }

        private void OnRequest(KeyValuePair<string, object?> value)
        {
            if (value.Key == "Microsoft.AspNetCore.Hosting.HttpRequestIn.Start" && value.Value is HttpContext context && Activity.Current is { } activity)
            {
                _requests.AddOrUpdate(activity, context.Request.Path.Value ?? "");
            }
        }

        private void OnCommand(KeyValuePair<string, object?> value)
        {
            if (value.Key != RelationalEventId.CommandExecuted.Name || value.Value is not CommandExecutedEventData data || data.Command.Connection?.DataSource != _dataSource)
            {
                return;
            }

            // RunWatcher's poll for a run of another process (every two seconds) and ViewWarmup's for a newer as-of run
            // (every 30 seconds, tagged), both in the background, are no page's query.
            if (data.Command.CommandText.StartsWith(RunWatcherPoll, StringComparison.Ordinal)
                || data.Command.CommandText.StartsWith("-- " + OpenModelWatch.Web.Reading.ViewWarmup.PollTag, StringComparison.Ordinal))
            {
                return;
            }

            // The nearest request activity above the command's, not the outermost: a request's activity can itself have a
            // parent (one that was current when the server started), which no request owns.
            string? request = null;
            for (var activity = Activity.Current; activity is not null && request is null; activity = activity.Parent)
            {
                request = _requests.TryGetValue(activity, out var path) ? path : null;
            }

            lock (_commands)
            {
                _commands.Add((request, data.Command.CommandText));
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            lock (_subscriptions)
            {
                _subscriptions.ForEach(subscription => subscription.Dispose());
            }
        }

        private sealed class Observer(Action<KeyValuePair<string, object?>> onNext) : IObserver<KeyValuePair<string, object?>>
        {
            public void OnNext(KeyValuePair<string, object?> value) => onNext(value);

            public void OnCompleted()
            {
            }

            public void OnError(Exception error)
            {
            }
        }
    }
}
