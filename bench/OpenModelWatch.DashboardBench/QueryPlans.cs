using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.DashboardBench;

/// <summary>
/// For <c>--explain</c>: contexts on the same store whose every SQL command is printed as EF Core sends it (the text
/// <c>ToQueryString()</c> shows, with its parameters), with SQLite's <c>EXPLAIN QUERY PLAN</c> for it and the time it
/// took (statements faster than the threshold are left out), so that a slow page can be traced to the statement and the
/// plan behind it.
/// </summary>
public sealed class QueryPlans(string connectionString, TextWriter log, double thresholdMs) : IDbContextFactory<OpenModelWatchDb>
{
    private readonly DbContextOptions<OpenModelWatchDb> _options = new DbContextOptionsBuilder<OpenModelWatchDb>()
        .UseSqlite(connectionString)
        .AddInterceptors(new PlanInterceptor(log, thresholdMs))
        .Options;

    public OpenModelWatchDb CreateDbContext() => new(_options);

    private sealed class PlanInterceptor(TextWriter log, double thresholdMs) : DbCommandInterceptor
    {
        private readonly Stopwatch _clock = new();
        private readonly System.Text.StringBuilder _pending = new();

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Explain(command);
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Explain(command);
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
        {
            Explain(command);
            return result;
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Explain(command);
            return ValueTask.FromResult(result);
        }

        public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
        {
            Done();
            return result;
        }

        public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            Done();
            return ValueTask.FromResult(result);
        }

        public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
        {
            Done();
            return result;
        }

        public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
        {
            Done();
            return ValueTask.FromResult(result);
        }

        private void Explain(DbCommand command)
        {
            if (command.CommandText.StartsWith("PRAGMA", StringComparison.OrdinalIgnoreCase) || command.CommandText.StartsWith("BEGIN", StringComparison.OrdinalIgnoreCase))
            {
                return;
            }

            _pending.Clear();
            foreach (DbParameter parameter in command.Parameters)
            {
                _pending.AppendLine($"  .param set {parameter.ParameterName} {parameter.Value}");
            }

            _pending.AppendLine("  " + command.CommandText.ReplaceLineEndings("\n  "));
            using (var explain = command.Connection!.CreateCommand())
            {
                explain.Transaction = command.Transaction;
                explain.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
                foreach (DbParameter parameter in command.Parameters)
                {
                    var copy = explain.CreateParameter();
                    copy.ParameterName = parameter.ParameterName;
                    copy.Value = parameter.Value;
                    explain.Parameters.Add(copy);
                }

                using var reader = explain.ExecuteReader();
                var depth = new Dictionary<long, int> { [0] = 0 };
                while (reader.Read())
                {
                    var level = depth.GetValueOrDefault(reader.GetInt64(1)) + 1;
                    depth[reader.GetInt64(0)] = level;
                    _pending.AppendLine($"  plan: {new string(' ', 2 * level)}{reader.GetString(3)}");
                }
            }

            _clock.Restart();
        }

        private void Done()
        {
            if (_clock.IsRunning)
            {
                var elapsed = _clock.Elapsed.TotalMilliseconds;
                if (elapsed >= thresholdMs)
                {
                    log.WriteLine("  ---");
                    log.Write(_pending.ToString());
                    log.WriteLine(FormattableString.Invariant($"  executed in {elapsed:F1} ms (until the first row; load {BenchLoad.Average})"));
                }

                _clock.Reset();
            }
        }
    }
}
