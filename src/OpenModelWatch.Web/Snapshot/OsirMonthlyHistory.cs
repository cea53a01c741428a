using Microsoft.Extensions.Options;
using OpenModelWatch.Hub;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Snapshot;

/// <summary>
/// The bundled monthly history November 2024 – September 2025 (BAAI's OSIR-LMTS crawls, MIT): 30-day downloads and likes
/// of the tracked organisations' own models at 11 monthly times. History to add to any store, before its later runs.
/// The file's <c>descendants</c> (the size of a model's tree on its Hub page) is read for checking only: the store has
/// no place for it, and derivatives are counted from lineage instead.
/// </summary>
public sealed class OsirMonthlyHistory(IOptions<SnapshotOptions> options) : BundledDataset
{
    public const string Header = "at,id,downloads30d,likes,descendants";

    public override string Name => "monthly history (November 2024 – September 2025)";
    public override RunSource Source => RunSource.OsirMonthly;
    public override string Host => "bundled history hub-history-2024-11_2025-09";
    public override string KeyPrefix => "osir-lmts";
    public override bool HasMetadata => false;
    public override bool OnlyIntoEmptyStore => false;

    public override Task<IReadOnlyList<BundledRun>> ReadAsync(CancellationToken cancellationToken)
    {
        var path = System.IO.Path.Combine(SnapshotOptions.Resolve(options.Value.HistoryPath), "history.csv.gz");
        var rows = CsvRows(path, Header)
            .Select(row =>
            {
                _ = Count(path, row.Line, "descendants", row.Fields[4]);
                return (At: Time(path, row.Line, "at", row.Fields[0]), Model: new HubModel
                {
                    Id = row.Fields[1].Contains('/') ? row.Fields[1] : throw new InvalidDataException($"{path}, line {row.Line}: id \"{row.Fields[1]}\" is not namespace/name."),
                    Downloads = HubCount.Of(Count(path, row.Line, "downloads30d", row.Fields[2])),
                    Likes = HubCount.Of(Count(path, row.Line, "likes", row.Fields[3])),
                });
            })
            .ToList();
        IReadOnlyList<BundledRun> runs = rows.GroupBy(row => row.At).OrderBy(time => time.Key)
            .Select(time => new BundledRun(time.Key, time.Select(row => row.Model).ToArray()))
            .ToArray();
        return Task.FromResult(runs);
    }
}
