using OpenModelWatch.FakeHub;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.TestSupport;

/// <summary>
/// A fake Hub and a <see cref="TempFolder"/> of their own, for a test class (xunit makes one a test) or a shared
/// fixture (one a class or collection). A derived class says which Hub it wants (<see cref="HubOptions"/>), sets up
/// the rest in <see cref="StartedAsync"/> (registry, hosts, apps), and hands what it starts to <see cref="Track{T}"/>:
/// it is disposed in reverse order, then the Hub, then the folder. A suite run on both stores passes its provider
/// and has one nested class per provider, e.g. <c>ReadApiTests.OnSqlite</c> and <c>ReadApiTests.OnPostgres</c>.
/// </summary>
public abstract class FakeHubFixture(StoreProvider provider = StoreProvider.Sqlite) : IAsyncLifetime
{
    private readonly Stack<Func<ValueTask>> _cleanups = new();
    private FakeHubServer? _hub;

    public TempFolder Folder { get; } = new(provider);

    public FakeHubServer Hub => _hub ?? throw new InvalidOperationException("The fake Hub is not started.");

    /// <summary>The Hub this fixture starts; read once, when it starts.</summary>
    protected abstract FakeHubOptions HubOptions { get; }

    /// <summary>A fake Hub and a folder for one test whose Hub differs from its class's; dispose it (<c>await using</c>).</summary>
    public static async Task<FakeHubFixture> StartAsync(FakeHubOptions options)
    {
        var fixture = new OneTest(options);
        try
        {
            await fixture.InitializeAsync();
        }
        catch
        {
            await fixture.DisposeAsync();
            throw;
        }

        return fixture;
    }

    public async ValueTask InitializeAsync()
    {
        _hub = await FakeHubServer.StartAsync(HubOptions, TestContext.Current.CancellationToken);
        await StartedAsync();
    }

    /// <summary>
    /// An <see cref="IngestionHost"/> on this Hub and folder, with a registry of <paramref name="labs"/>; disposed with
    /// the fixture.
    /// </summary>
    public async Task<IngestionHost> StartIngestionHostAsync(
        (string Namespace, string Country)[] labs, IDictionary<string, string?>? settings = null, TimeProvider? time = null) =>
        Track(await IngestionHost.StartAsync(Hub.BaseAddress, Folder, Folder.WriteRegistry(labs), settings, time));

    public async ValueTask DisposeAsync()
    {
        while (_cleanups.TryPop(out var cleanup))
        {
            await cleanup();
        }

        if (_hub is not null)
        {
            await _hub.DisposeAsync();
        }

        Folder.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Runs once the Hub is up: the class's own setup.</summary>
    protected virtual ValueTask StartedAsync() => ValueTask.CompletedTask;

    /// <summary>Disposes <paramref name="disposable"/> with the fixture, before whatever was tracked earlier.</summary>
    protected T Track<T>(T disposable)
        where T : IAsyncDisposable
    {
        _cleanups.Push(disposable.DisposeAsync);
        return disposable;
    }

    /// <summary>As <see cref="Track{T}"/>, for what has only <see cref="IDisposable.Dispose"/> (an <see cref="HttpClient"/>).</summary>
    protected T TrackDisposable<T>(T disposable)
        where T : IDisposable
    {
        _cleanups.Push(() =>
        {
            disposable.Dispose();
            return ValueTask.CompletedTask;
        });
        return disposable;
    }

    private sealed class OneTest(FakeHubOptions options) : FakeHubFixture
    {
        protected override FakeHubOptions HubOptions => options;
    }
}
