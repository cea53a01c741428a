using System.Data.Common;

namespace OpenModelWatch.Web.Store;

/// <summary>
/// A run's listed models cut into slices of consecutive model ids, <c>After &lt; ModelId &lt;= Last</c>, each holding
/// <c>Models</c> of the run's listings (the last slice reaches the largest id there is). The run's final work (origins,
/// count ranges) goes slice by slice: the same statements, bounded, so it can say how far it is and stop between two.
/// </summary>
public readonly record struct RunSlice(long After, long Last, long Models);

public static class RunSlices
{
    /// <summary>The slices of a run's listings, read from the listings' primary key in one ordered pass.</summary>
    public static IReadOnlyList<RunSlice> Of(DbConnection connection, DbTransaction transaction, int runId, int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        using var command = connection.Command(transaction, "SELECT ModelId FROM Listings WHERE RunId = @run ORDER BY ModelId");
        command.Parameter("@run", runId);
        var slices = new List<RunSlice>();
        long after = long.MinValue, models = 0;
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                if (++models == size)
                {
                    var last = reader.GetInt64(0);
                    slices.Add(new RunSlice(after, last, models));
                    (after, models) = (last, 0);
                }
            }
        }

        slices.Add(new RunSlice(after, long.MaxValue, models));
        return slices;
    }
}
