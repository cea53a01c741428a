using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using OpenModelWatch.FakeHub.HubStats;
using OpenModelWatch.Tests.TestSupport;
using Parquet;
using Parquet.Schema;

namespace OpenModelWatch.Tests.Import;

/// <summary>
/// The <c>import</c> command as a real process: the same file twice is one run; a file it cannot use is named, with
/// the column at fault, and nothing is recorded; an import killed with SIGKILL leaves nothing visible and the next
/// start cleans it up as it does a killed live run; Ctrl+C stops it and records why.
/// </summary>
public sealed class ImportProcessTests : IDisposable
{
    private static readonly TimeSpan _limit = TimeSpan.FromMinutes(3);
    private readonly TempFolder _folder = new();
    private readonly Dictionary<string, string> _settings;

    public ImportProcessTests()
    {
        _settings = TestSettings.For(_folder, ImportKit.NoHub, _folder.WriteRegistry(("Qwen", "CN"), ("meta-llama", "US")));
    }

    public void Dispose() => _folder.Dispose();

    private static readonly string[] _countIndexes =
    [
        "IX_Models_Country_Downloads30d", "IX_Models_LabId_Downloads30d", "IX_Models_License_Downloads30d", "IX_Models_Listed_CreatedAt",
        "IX_Models_Listed_Downloads30d", "IX_Models_Listed_DownloadsAllTime", "IX_Models_Listed_Likes", "IX_Models_Listed_Parameters",
        "IX_Models_Listed_TrendingScore", "IX_Models_OriginCountry_Downloads30d", "IX_Models_OriginLabId_Downloads30d", "IX_Models_Task_Downloads30d",
    ];

    [Fact]
    public async Task TheSameFileTwiceIsOneRun()
    {
        var (code, output, error) = await ImportAsync(ImportKit.SamplePath);
        Assert.True(code == 0, error);
        Assert.Contains("import: run 1 succeeded", output);
        Assert.Contains("hub-stats (cfahlgren1), Apache-2.0", output);
        // The run's final transaction says how far it is too (redirected: plain lines), then ends each phase at 100%.
        var name = Path.GetFileName(ImportKit.SamplePath);
        Assert.Contains($"import: {name}: 4,167 models staged; resolving their origins, then publishing the run", output);
        Assert.Matches($@"import: {Regex.Escape(name)}, origins: 4,167 of 4,167 rows \(100%\), [0-9,]+ rows/s\n", output.ReplaceLineEndings("\n"));
        Assert.Matches($@"import: {Regex.Escape(name)}, publishing: 4,167 of 4,167 rows \(100%\), [0-9,]+ rows/s\n", output.ReplaceLineEndings("\n"));
        // A first day changes every model, so the 12 count indexes of Models are built again after the update, each
        // told as a step (a few minutes at 3M rows, silent before), then the totals; each step done says how long it took.
        var steps = Regex.Matches(output, $@"import: {Regex.Escape(name)}, publishing: (.+), at [0-9].*")
            .Select(match => Regex.Replace(match.Groups[1].Value, @" \([0-9]+\.[0-9] s\)$", "")).ToList();
        Assert.Equal(
            [
                "the run's models marked last seen",
                "4167 models changed or new and 0 no longer listed, their count ranges written",
                .. Enumerable.Range(1, 12).Select(i => $"building count index {i} of 12 again ({_countIndexes[i - 1]})"),
                "the models' latest counts written; writing the run's totals",
                "the run's totals written; deleting its listings",
                "the run's listings deleted",
                "committed",
            ],
            steps);

        (code, output, error) = await ImportAsync(ImportKit.SamplePath);
        Assert.True(code == 0, error);
        Assert.Contains($"import: {ImportKit.SamplePath}: already imported as run 1 (same SHA-256); nothing new recorded.", output);
        Assert.Equal("1|1", Scalar("SELECT COUNT(*) || '|' || SUM(Status = 'Succeeded') FROM Runs"));
    }

    [Fact]
    public async Task AFileThatCannotBeUsedIsNamedWithItsColumnAndNothingIsRecorded()
    {
        var notParquet = _folder.File("notes.parquet");
        await File.WriteAllTextAsync(notParquet, "id,downloads\nQwen/x,1\n", TestContext.Current.CancellationToken);
        var (code, _, error) = await ImportAsync(ImportKit.SamplePath, notParquet);
        Assert.Equal(2, code);
        Assert.Contains($"import: {notParquet}: not a Parquet file", error);
        Assert.Contains("Nothing was imported.", error);

        var noDownloads = _folder.File("2025-01-01.parquet");
        await WriteWithoutDownloadsAsync(noDownloads);
        (code, _, error) = await ImportAsync(noDownloads);
        Assert.Equal(2, code);
        Assert.Contains($"import: {noDownloads}: the column \"downloads\" (30-day downloads; this is not a hub-stats models.parquet file) is missing.", error);

        (code, _, error) = await ImportAsync("--at", "2025-06-01T13:00:00Z", ImportKit.SamplePath, noDownloads);
        Assert.Equal(2, code);
        Assert.Contains("--at gives the time of one file; 2 files were named", error);

        (code, _, error) = await ImportAsync("--at", "last tuesday", ImportKit.SamplePath);
        Assert.Equal(2, code);
        Assert.Contains("import: --at \"last tuesday\" is not a time", error);

        Assert.Equal("0", Scalar("SELECT COUNT(*) FROM Runs"));
    }

    [Fact]
    public async Task AnImportKilledMidFileLeavesNothingVisibleAndTheNextStartCleansItUp()
    {
        var big = await BigFileAsync();
        using (var doomed = AppProcess.Start(_settings, "import", big))
        {
            await WaitForModelsAsync(doomed);
            doomed.Kill();
            await doomed.WaitAsync(_limit);
        }

        Assert.Equal("ok", Scalar("PRAGMA integrity_check"));
        Assert.Equal("1|Running|Import|HubStats", Scalar("SELECT Id || '|' || Status || '|' || \"Trigger\" || '|' || Source FROM Runs"));
        Assert.Equal("0|0|0", Scalar("SELECT (SELECT COUNT(*) FROM Counts) || '|' || (SELECT COUNT(*) FROM RunTotals) || '|' || (SELECT COUNT(*) FROM Models WHERE Listed)"));
        // It had written models (committed batch by batch); its listings were staged in the writer's temporary table and died with it.
        Assert.True(long.Parse(Scalar("SELECT COUNT(*) FROM Models")!, CultureInfo.InvariantCulture) > 0, "The import was killed before it wrote anything.");
        Assert.Equal("0", Scalar("SELECT COUNT(*) FROM Listings"));

        // The next start (any command; here the next import) marks it interrupted and drops its staged rows.
        var (code, output, error) = await ImportAsync(ImportKit.SamplePath);
        Assert.True(code == 0, error);
        Assert.Contains("import: run 2 succeeded", output);
        Assert.Equal("Failed", Scalar("SELECT Status FROM Runs WHERE Id = 1"));
        Assert.StartsWith("Interrupted: the process running it (", Scalar("SELECT Error FROM Runs WHERE Id = 1"));
        Assert.Contains("import of 2025-06-01.parquet", Scalar("SELECT Error FROM Runs WHERE Id = 1"));
        Assert.Equal("0|0|4167", Scalar("SELECT (SELECT COUNT(*) FROM Listings) || '|' || (SELECT COUNT(*) FROM Snapshots WHERE RunId = 1) || '|' || (SELECT COUNT(*) FROM Snapshots WHERE RunId = 2)"));
        Assert.Equal("ok", Scalar("PRAGMA integrity_check"));
    }

    [Fact]
    public async Task CtrlCStopsAnImportAndRecordsWhyWithNothingVisible()
    {
        // A test run started as a background job of a shell without job control inherits SIGINT ignored, and so does the
        // import it starts (the runtime keeps an inherited ignore): say so rather than fail on a confusing exit code.
        Assert.False(SigIntIgnored(), "SIGINT is ignored by this test process (started as a background job without job control, e.g. `(bash .ci/run &)`), "
            + "so the import it starts cannot be interrupted; run the tests in the foreground or with job control (set -m).");
        var big = await BigFileAsync();
        using var import = AppProcess.Start(_settings, "import", big);
        await WaitForModelsAsync(import);
        using (var interrupt = Process.Start("kill", ["-INT", import.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await interrupt.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        var (code, _, error) = await import.WaitAsync(_limit);
        Assert.Equal(1, code);
        Assert.Contains($"import: {big}: run 1 failed: Cancelled (Ctrl+C) after ", error);
        Assert.Equal("Failed|0", Scalar("SELECT Status || '|' || Models FROM Runs WHERE Id = 1"));
        Assert.Contains("nothing of it is visible", Scalar("SELECT Error FROM Runs WHERE Id = 1"));
        Assert.Equal("0|0|0", Scalar("SELECT (SELECT COUNT(*) FROM Listings) || '|' || (SELECT COUNT(*) FROM Counts) || '|' || (SELECT COUNT(*) FROM RunTotals)"));
        Assert.Equal("ok", Scalar("PRAGMA integrity_check"));
    }

    private async Task<(int Code, string Out, string Error)> ImportAsync(params string[] arguments)
    {
        using var process = AppProcess.Start(_settings, ["import", .. arguments]);
        return await process.WaitAsync(_limit);
    }

    /// <summary>
    /// 200,000 generated rows in row groups of 10,000: an import of it commits twenty times over many seconds. A file long enough that a kill or Ctrl+C sent once the first models are written lands mid-import even on a loaded
    /// machine (at 120,000 rows a CI run under load once finished the whole import before the signal arrived).
    /// </summary>
    private async Task<string> BigFileAsync()
    {
        var path = _folder.File("2025-06-01.parquet");
        await HubStatsFileWriter.WriteAsync(path, GeneratedHubStats.Rows(200_000), HubStatsColumns.Current, rowGroupSize: 10_000);
        return path;
    }

    private async Task WaitForModelsAsync(AppProcess process)
    {
        var deadline = DateTime.UtcNow + _limit;
        while (true)
        {
            Assert.False(process.HasExited, "The import ended before it could be interrupted.");
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for the import to write models.");
            try
            {
                if (File.Exists(_folder.DatabasePath) && Scalar("SELECT COUNT(*) FROM Models") is { } written && written != "0")
                {
                    return;
                }
            }
            catch (SqliteException)
            {
                // The store is still being created or migrated.
            }

            await Task.Delay(20);
        }
    }

    private static async Task WriteWithoutDownloadsAsync(string path)
    {
        var id = new DataField<string>("id");
        var likes = new DataField<long?>("likes");
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(id, likes), stream);
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(id, ["Qwen/x"]);
        await group.WriteAsync<long>(likes, new long?[] { 3 }.AsMemory());
    }

    private string? Scalar(string sql) => ImportKit.Scalar(_folder, sql);

    /// <summary>Whether this process ignores SIGINT (bit 2 of SigIgn in /proc/self/status).</summary>
    private static bool SigIntIgnored()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(text => text.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (ulong.Parse(line["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture) & 0b10) != 0;
    }
}
