using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenModelWatch.Web.Reading;

namespace OpenModelWatch.Web.Operations;

/// <summary>
/// The readiness report for pages (the banner and the Ingestion page), computed at most every
/// <see cref="CacheFor"/> so a burst of page views costs one set of checks, and again as soon as a run succeeds.
/// </summary>
public sealed class CachedHealth(HealthCheckService checks, TimeProvider time) : IRunSucceededListener
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(15);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (HealthReport Report, DateTimeOffset At)? _last;

    public async Task<HealthReport> GetAsync(CancellationToken cancellationToken)
    {
        if (Fresh() is { } cached)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Fresh() is { } again)
            {
                return again;
            }

            var report = await checks.CheckHealthAsync(HealthSetup.IsReadinessCheck, cancellationToken);
            _last = (report, time.GetUtcNow());
            return report;
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task OnRunSucceededAsync(int runId, CancellationToken cancellationToken)
    {
        _last = null;
        return Task.CompletedTask;
    }

    private HealthReport? Fresh() => _last is { } last && time.GetUtcNow() - last.At < CacheFor ? last.Report : null;
}

public static class HealthSetup
{
    public const string ReadyTag = "ready";

    public static bool IsReadinessCheck(HealthCheckRegistration registration) => registration.Tags.Contains(ReadyTag);

    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>
    /// <c>{ status, checks: [{ name, status, description, data }] }</c>: statuses and plain descriptions only — never
    /// an exception's text, a path or a setting's value (the output is public).
    /// </summary>
    public static Task WriteReportAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            totalMilliseconds = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.Select(entry => new
            {
                name = entry.Key,
                status = entry.Value.Status.ToString(),
                description = entry.Value.Description,
                data = entry.Value.Data.Count == 0 ? null : entry.Value.Data,
            }),
        }, _json));
    }
}
