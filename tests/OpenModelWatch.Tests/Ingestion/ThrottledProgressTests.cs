using OpenModelWatch.Web.Ingestion;

namespace OpenModelWatch.Tests.Ingestion;

/// <summary>The one progress counter of a run's final phases and of the import command's plain lines.</summary>
public class ThrottledProgressTests
{
    [Fact]
    public void APointSaysRatePercentAndTimeLeft()
    {
        var point = new ProgressPoint(50, 200, TimeSpan.FromSeconds(10));

        Assert.Equal(5, point.Rate);
        Assert.Equal(25, point.Percent);
        Assert.Equal(TimeSpan.FromSeconds(30), point.Left);
        Assert.Null(new ProgressPoint(200, 200, TimeSpan.FromSeconds(10)).Left);
        Assert.Null(new ProgressPoint(0, 200, TimeSpan.Zero).Left);
        Assert.Equal(100, new ProgressPoint(0, 0, TimeSpan.Zero).Percent);
    }

    [Theory]
    [InlineData(0.4, "0 s")]
    [InlineData(45, "45 s")]
    [InlineData(185, "3 min 05 s")]
    [InlineData(3720, "1 h 02 min")]
    public void DurationsReadAsPeopleWriteThem(double seconds, string words) =>
        Assert.Equal(words, ProgressPoint.Words(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void WithinTheIntervalOnlyTheEndIsReportedAndOnlyOnce()
    {
        var reports = new List<ProgressPoint>();
        var progress = new ThrottledProgress(10, TimeSpan.FromHours(1), reports.Add);

        progress.Add(3);
        progress.Add(4);
        progress.Finish();
        progress.Finish();

        var only = Assert.Single(reports);
        Assert.Equal(7, only.Done);
        Assert.Equal(10, only.Total);
    }

    [Fact]
    public void AZeroIntervalReportsEveryStepAndTheEndIsNotRepeated()
    {
        var reports = new List<long>();
        var progress = new ThrottledProgress(10, TimeSpan.Zero, point => reports.Add(point.Done));

        progress.Add(3);
        progress.Add(4);
        progress.Finish();

        Assert.Equal([3, 7], reports);
    }
}
