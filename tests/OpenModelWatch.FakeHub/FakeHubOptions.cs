using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.FakeHub.Recorded;

namespace OpenModelWatch.FakeHub;

public sealed class FakeHubOptions
{
    public required IFakeCatalog Catalog { get; init; }

    /// <summary>Requests per window for the whole server; the Hub gives a free user 1,000.</summary>
    public int RateLimitQuota { get; init; } = 1000;

    public TimeSpan RateLimitWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The clock of the rate-limit window; a fake one lets tests cross windows without sleeping.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Most items per page, whatever <c>limit</c> asks; also the page size when <c>limit</c> is absent.</summary>
    public int MaxPageSize { get; init; } = 1000;

    /// <summary>
    /// Real recorded answers of <c>GET /api/models/{id}</c>, served as they are before the catalog is asked (ids match
    /// case-insensitively): e.g. a renamed repository's <c>307</c> to its new name, and the new name's real payload.
    /// </summary>
    public IReadOnlyDictionary<string, RecordedAnswer> RecordedModels { get; init; } = new Dictionary<string, RecordedAnswer>();

    /// <summary>The port on 127.0.0.1; null for any free one.</summary>
    public int? Port { get; init; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(RateLimitQuota, 1, nameof(RateLimitQuota));
        ArgumentOutOfRangeException.ThrowIfLessThan(RateLimitWindow, TimeSpan.FromSeconds(1), nameof(RateLimitWindow));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPageSize, 1, nameof(MaxPageSize));
        if (Port is { } port)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(port, nameof(Port));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535, nameof(Port));
        }
    }
}
