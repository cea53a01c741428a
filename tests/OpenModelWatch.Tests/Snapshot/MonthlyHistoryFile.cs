using System.Globalization;
using System.IO.Compression;
using OpenModelWatch.Tests.TestSupport;

namespace OpenModelWatch.Tests.Snapshot;

/// <summary>
/// The bundled monthly history (<c>seeds/hub-history-2024-11_2025-09/history.csv.gz</c>) read straight from the file,
/// with none of the app's code: the independent side of the comparisons. Read once per test run.
/// </summary>
internal static class MonthlyHistoryFile
{
    private static readonly Lazy<IReadOnlyList<MonthlyRow>> _rows = new(Read);

    public static IReadOnlyList<MonthlyRow> Rows => _rows.Value;

    /// <summary>The crawl times, oldest first.</summary>
    public static IReadOnlyList<DateTime> Times => [.. Rows.Select(r => r.At).Distinct().Order()];

    private static List<MonthlyRow> Read()
    {
        using var gzip = new GZipStream(File.OpenRead(Repo.Path("seeds", "hub-history-2024-11_2025-09", "history.csv.gz")), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        Assert.Equal("at,id,downloads30d,likes,descendants", reader.ReadLine());
        var rows = new List<MonthlyRow>();
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            var cells = line.Split(',');
            rows.Add(new MonthlyRow(
                DateTimeOffset.Parse(cells[0], CultureInfo.InvariantCulture).UtcDateTime,
                cells[1],
                long.Parse(cells[2], CultureInfo.InvariantCulture),
                long.Parse(cells[3], CultureInfo.InvariantCulture)));
        }

        return rows;
    }
}

internal sealed record MonthlyRow(DateTime At, string Id, long Downloads30d, long Likes)
{
    public string Namespace => Id[..Id.IndexOf('/')];
}
