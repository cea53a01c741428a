using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace OpenModelWatch.Web.Security;

/// <summary>
/// Counts wrong passwords and API keys per client address: past <see cref="RateLimitingOptions.FailedSecretsPerMinute"/>
/// in a minute, the client is refused (429) without its secret even being checked, until the window ends.
/// </summary>
public sealed class FailedSecretAttempts : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures;

    public FailedSecretAttempts(IOptions<RateLimitingOptions> options)
    {
        var permits = options.Value.FailedSecretsPerMinute;
        _failures = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetFixedWindowLimiter(client, _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
    }

    /// <summary>True when the client has used up its wrong attempts; <paramref name="retryAfter"/> says for how long.</summary>
    public bool IsBlocked(string client, out TimeSpan retryAfter)
    {
        // Asking for zero permits checks what is left without using any.
        using var lease = _failures.AttemptAcquire(client, 0);
        if (lease.IsAcquired)
        {
            retryAfter = TimeSpan.Zero;
            return false;
        }

        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        return true;
    }

    public void RecordFailure(string client) => _failures.AttemptAcquire(client, 1).Dispose();

    public void Dispose() => _failures.Dispose();
}
