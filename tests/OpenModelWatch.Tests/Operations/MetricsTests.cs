using System.Diagnostics.Metrics;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.FakeHub.Faults;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Operations;

/// <summary>Each run records its numbers on the <c>OpenModelWatch</c> meter, as <c>dotnet-counters</c> shows them.</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task ARunRecordsItsDurationModelsRequestsRetriesAnd429sAndAFailedRunIsCounted()
    {
        var catalog = new GeneratedCatalog(2500, ["alpha", "beta", "gamma"]);
        await using var fixture = await FakeHubFixture.StartAsync(new FakeHubOptions { Catalog = catalog, MaxPageSize = 300 });
        var host = await fixture.StartIngestionHostAsync([("alpha", "US"), ("beta", "CN"), ("gamma", "FR")]);
        using var recorded = new RecordedMeasurements(host.Services.GetRequiredService<IMeterFactory>());
        fixture.Hub.Faults.TooManyRequests(retryAfterSeconds: 0, withRateLimitHeader: false, times: 1);
        fixture.Hub.Faults.Status(503, times: 1);

        var succeeded = await host.Runner.RunAsync(RunTrigger.Manual, TestContext.Current.CancellationToken);

        Assert.True(succeeded.Succeeded, succeeded.Error);
        Assert.Equal(2500, recorded.Sum("openmodelwatch.ingestion.models"));
        Assert.Equal(9 + 2, recorded.Sum("openmodelwatch.hub.requests"));
        Assert.Equal(2, recorded.Sum("openmodelwatch.hub.retries"));
        Assert.Equal(1, recorded.Sum("openmodelwatch.hub.throttled"));
        Assert.Equal(1, recorded.Sum("openmodelwatch.ingestion.runs", ("status", "Succeeded"), ("trigger", "Manual")));
        var duration = Assert.Single(recorded.Values("openmodelwatch.ingestion.run.duration"));
        Assert.InRange(duration, 0.001, 60);
        Assert.Equal(0, recorded.Sum("openmodelwatch.ingestion.runs.failed"));

        fixture.Hub.Faults.Status(500, times: FakeHubFaults.Always);
        var failed = await host.Runner.RunAsync(RunTrigger.Command, TestContext.Current.CancellationToken);

        Assert.False(failed.Succeeded);
        Assert.Equal(1, recorded.Sum("openmodelwatch.ingestion.runs.failed", ("trigger", "Command")));
        Assert.Equal(1, recorded.Sum("openmodelwatch.ingestion.runs", ("status", "Failed"), ("trigger", "Command")));
        Assert.Equal(2, recorded.Values("openmodelwatch.ingestion.run.duration").Count);
        Assert.Equal(2500, recorded.Sum("openmodelwatch.ingestion.models"));
    }

    /// <summary>Everything the meter of one host (its <see cref="IMeterFactory"/>) records, whatever other tests run alongside.</summary>
    internal sealed class RecordedMeasurements : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<(string Instrument, double Value, KeyValuePair<string, object?>[] Tags)> _measurements = [];

        public RecordedMeasurements(IMeterFactory meters)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == IngestionMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meters))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
            _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
            _listener.Start();
        }

        public IReadOnlyList<double> Values(string instrument, params (string Key, string Value)[] tags)
        {
            lock (_measurements)
            {
                return [.. _measurements.Where(m => m.Instrument == instrument && tags.All(tag => m.Tags.Any(t => t.Key == tag.Key && Equals(t.Value, tag.Value)))).Select(m => m.Value)];
            }
        }

        public double Sum(string instrument, params (string Key, string Value)[] tags) => Values(instrument, tags).Sum();

        public void Dispose() => _listener.Dispose();

        private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            lock (_measurements)
            {
                _measurements.Add((instrument.Name, value, tags.ToArray()));
            }
        }
    }
}
