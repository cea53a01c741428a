using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Reading;

/// <summary>
/// Where a succeeded run's counts are read from. The latest succeeded run's are on the models themselves
/// (<see cref="Model.Listed"/>, indexed for the grid); any earlier run's are the <see cref="CountRange"/>s covering it.
/// Runs are recorded one at a time and numbered in the order they were recorded, which is not always the order of their
/// days: an imported file of last year is recorded after this year's live runs. Ranges chain by run id, so every run is
/// answered exactly whatever its day. An earlier day recorded after a later run is <see cref="IngestionRun.Backfilled"/>:
/// its ranges cover it alone and the models keep the later run's counts, so the models carry the newest run by time, the
/// as-of run (<see cref="AsOf.LatestAsync"/>). (A store whose earlier days were recorded before backfilled runs existed
/// carries its last recorded run until its next live run; the as-of run's filtered views read its ranges meanwhile.)
/// </summary>
public static class RunCounts
{
    // A context's read transaction sees one state of the store, so its current run is asked once per transaction
    // (a pooled context gets a new transaction on each lease, and with it a new answer).
    private static readonly ConditionalWeakTable<IDbContextTransaction, StrongBox<int?>> _currentRun = [];

    /// <summary>
    /// The id of the run whose counts the models carry, the last succeeded run not backfilled; null before any run
    /// succeeded. One query per view.
    /// </summary>
    public static int? CurrentRunId(OpenModelWatchDb db)
    {
        Consistent(db);
        return _currentRun.GetValue(db.Database.CurrentTransaction!, _ =>
            new StrongBox<int?>(db.Runs.Where(run => run.Status == RunStatus.Succeeded && !run.Backfilled).Max(run => (int?)run.Id))).Value;
    }

    /// <summary>The ranges that hold the counts of a past run: one per model it listed.</summary>
    public static IQueryable<CountRange> Ranges(OpenModelWatchDb db, int runId) =>
        db.Counts.AsNoTracking().Where(c => c.FromRunId <= runId && (c.ToRunId == null || c.ToRunId > runId));

    /// <summary>
    /// Reads of this context see one state of the store: a run that succeeds meanwhile (which moves the latest counts
    /// onto the models) is seen by the next view, never half-way through this one. The transaction only reads; the
    /// context's disposal ends it. On SQLite it is deferred, a read transaction: Microsoft.Data.Sqlite's default,
    /// <c>BEGIN IMMEDIATE</c>, takes the write lock, so views waited for each other and for a run's final transaction
    /// (minutes at 3 million models), then failed with "database is locked". On PostgreSQL it is repeatable read, one
    /// snapshot for all its statements (read committed, the default, takes one per statement).
    /// </summary>
    public static void Consistent(OpenModelWatchDb db)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            return;
        }

        if (db.Database.GetDbConnection() is SqliteConnection sqlite)
        {
            db.Database.OpenConnection();
            db.Database.UseTransaction(sqlite.BeginTransaction(deferred: true));
        }
        else
        {
            db.Database.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
        }
    }
}
