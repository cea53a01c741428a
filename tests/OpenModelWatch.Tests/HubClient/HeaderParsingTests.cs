using System.Net;
using Microsoft.Extensions.Time.Testing;
using OpenModelWatch.Hub;
using OpenModelWatch.Hub.Parsing;

namespace OpenModelWatch.Tests.HubClient;

public class HeaderParsingTests
{
    [Theory]
    [InlineData("\"api\";r=12;t=55", "api", 12, 55)]
    [InlineData("\"api\"; r=495; t=23", "api", 495, 23)]
    [InlineData("\"api\";r=0;t=300", "api", 0, 300)]
    [InlineData("\"resolvers\";t=10;r=3", "resolvers", 3, 10)]
    public void RateLimitHeaderReadsRemainingAndReset(string value, string policy, int remaining, int reset)
    {
        Assert.Equal(new RateLimitHeader(policy, remaining, reset), RateLimitHeader.Parse(value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("\"api\";r=12")]
    [InlineData("\"api\";r=-1;t=5")]
    [InlineData("\"api\";r=abc;t=5")]
    [InlineData("garbage")]
    public void RateLimitHeaderWithoutBothNumbersIsNull(string? value)
    {
        Assert.Null(RateLimitHeader.Parse(value));
    }

    [Fact]
    public void RateLimitPolicyReadsQuotaAndWindow()
    {
        Assert.Equal(new RateLimitPolicyHeader(500, 300), RateLimitPolicyHeader.Parse("\"fixed window\";\"api\";q=500;w=300"));
        Assert.Null(RateLimitPolicyHeader.Parse("\"fixed window\";\"api\";q=500"));
    }

    [Fact]
    public void LinkHeaderGivesTheAbsoluteNextUrl()
    {
        var next = LinkHeader.ParseNext("<https://huggingface.co/api/models?author=Qwen&limit=1000&cursor=eyJ2IjoxfQ>; rel=\"next\"");
        Assert.Equal("https://huggingface.co/api/models?author=Qwen&limit=1000&cursor=eyJ2IjoxfQ", next!.AbsoluteUri);
    }

    [Fact]
    public void LinkHeaderPicksNextAmongSeveralRelations()
    {
        var next = LinkHeader.ParseNext("<https://h.example/api/models?cursor=a>; rel=\"prev\", <https://h.example/api/models?cursor=b>; rel=\"next\"");
        Assert.Equal("https://h.example/api/models?cursor=b", next!.AbsoluteUri);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("<https://h.example/api/models?cursor=a>; rel=\"prev\"")]
    [InlineData("</api/models?cursor=a>; rel=\"next\"")]
    [InlineData("<ftp://h.example/x>; rel=\"next\"")]
    [InlineData("<https://h.example/api/models?cursor=a; rel=\"next\"")]
    public void LinkHeaderWithoutAnAbsoluteNextIsNull(string? value)
    {
        Assert.Null(LinkHeader.ParseNext(value));
    }

    [Fact]
    public void RetryAfterReadsSecondsAndDates()
    {
        var now = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromSeconds(120), RetryAfterHeader.Parse("120", now));
        Assert.Equal(TimeSpan.FromSeconds(90), RetryAfterHeader.Parse("Tue, 24 Nov 2026 12:01:30 GMT", now));
        Assert.Equal(TimeSpan.Zero, RetryAfterHeader.Parse("Tue, 24 Nov 2026 11:00:00 GMT", now));
        Assert.Null(RetryAfterHeader.Parse("soon", now));
    }

    [Fact]
    public void A429WaitsForTheSpentWindowThenRetryAfterElseBackoff()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

        using var spent = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        spent.Headers.TryAddWithoutValidation("RateLimit", "\"api\";r=0;t=55");
        spent.Headers.TryAddWithoutValidation("Retry-After", "5");
        Assert.Equal(TimeSpan.FromSeconds(56), HubClientServiceCollectionExtensions.ThrottledDelay(spent, time));

        using var cdn = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        cdn.Headers.TryAddWithoutValidation("Retry-After", "7");
        Assert.Equal(TimeSpan.FromSeconds(8), HubClientServiceCollectionExtensions.ThrottledDelay(cdn, time));

        using var bare = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        Assert.Null(HubClientServiceCollectionExtensions.ThrottledDelay(bare, time));

        using var unavailable = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        unavailable.Headers.TryAddWithoutValidation("Retry-After", "7");
        Assert.Null(HubClientServiceCollectionExtensions.ThrottledDelay(unavailable, time));
    }

    [Fact]
    public void PacerHoldsRequestsWhenTheWindowRunsLow()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        var options = Microsoft.Extensions.Options.Options.Create(new HubClientOptions { PacingReserve = 25 });
        var pacer = new RateLimitPacer(time, options, new HubRequestStats());

        Assert.Equal(TimeSpan.Zero, pacer.NextDelay());
        pacer.Observe(new RateLimitHeader("api", 100, 60));
        Assert.Equal(TimeSpan.Zero, pacer.NextDelay());
        pacer.Observe(new RateLimitHeader("api", 5, 60));
        Assert.Equal(TimeSpan.FromSeconds(10), pacer.NextDelay());
        pacer.Observe(new RateLimitHeader("api", 0, 30));
        Assert.Equal(TimeSpan.FromSeconds(31), pacer.NextDelay());
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(TimeSpan.Zero, pacer.NextDelay());
    }

    [Fact]
    public void BackoffGrowsExponentiallyWithJitterUpToTheCap()
    {
        var options = new HubClientOptions { BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(8) };
        for (var i = 0; i < 200; i++)
        {
            Assert.InRange(HubBackoff.Delay(1, options).TotalSeconds, 0.5, 1.0);
            Assert.InRange(HubBackoff.Delay(3, options).TotalSeconds, 2.0, 4.0);
            Assert.InRange(HubBackoff.Delay(10, options).TotalSeconds, 4.0, 8.0);
        }
    }
}
