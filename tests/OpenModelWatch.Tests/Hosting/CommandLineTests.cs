using System.Net;
using System.Net.Sockets;
using OpenModelWatch.Tests.TestSupport;

namespace OpenModelWatch.Tests.Hosting;

/// <summary>
/// The app's command line, on the real process: <c>--help</c> lists the commands, ASP.NET Core's own arguments pass
/// through in both forms, and a word that is neither a command nor a setting stops it with exit 2 naming the word.
/// </summary>
public sealed class CommandLineTests : IDisposable
{
    private static readonly TimeSpan _processLimit = TimeSpan.FromMinutes(1);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task HelpListsEveryCommandAndExits0()
    {
        using var app = AppProcess.Start(Settings(), "--help");
        var (code, output, _) = await app.WaitAsync(_processLimit);

        Assert.Equal(0, code);
        Assert.Contains("ingest", output, StringComparison.Ordinal);
        Assert.Contains("backup <FILE>", output, StringComparison.Ordinal);
        Assert.Contains("hash-secret", output, StringComparison.Ordinal);
        Assert.Contains("--urls", output, StringComparison.Ordinal);
        // Help only: nothing was prepared, so no database was created.
        Assert.False(File.Exists(_folder.DatabasePath));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UrlsServeThereInEitherForm(bool twoWords)
    {
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        using var app = AppProcess.Start(Settings(), twoWords ? ["--urls", url] : [$"--urls={url}"]);
        using var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(5) };

        var status = await EventuallyAsync(async () =>
        {
            try
            {
                using var response = await client.GetAsync("/health/live", TestContext.Current.CancellationToken);
                return response.StatusCode;
            }
            catch (HttpRequestException)
            {
                return (HttpStatusCode?)null;
            }
        }, app);

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("--urls", "http://127.0.0.1:1", "frobnicate")]
    [InlineData("--environment=Test", "frobnicate", "ingest")]
    public async Task AWordThatIsNeitherACommandNorASettingStopsWithExit2NamingIt(params string[] args)
    {
        using var app = AppProcess.Start(Settings(), args);
        var (code, _, error) = await app.WaitAsync(_processLimit);

        Assert.Equal(2, code);
        Assert.StartsWith("Unknown command \"frobnicate\". Commands: ingest, import FILE…, backup FILE, hash-secret", error.Trim(), StringComparison.Ordinal);
    }

    // An address nothing listens on: these tests never reach the Hub.
    private Dictionary<string, string> Settings() =>
        TestSettings.For(_folder, new Uri("http://127.0.0.1:9/"), _folder.WriteRegistry(("alpha", "US")));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<T?> EventuallyAsync<T>(Func<Task<T?>> probe, AppProcess app)
    {
        var until = DateTime.UtcNow + _processLimit;
        while (DateTime.UtcNow < until && !app.HasExited)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        return default;
    }
}
