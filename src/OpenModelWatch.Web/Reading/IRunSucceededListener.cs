namespace OpenModelWatch.Web.Reading;

/// <summary>
/// Told when a run of this process has succeeded, right after the commit that made it visible: whatever is kept per
/// as-of run (cached exports and API answers) can go. A listener's failure is logged and never fails the run.
/// </summary>
public interface IRunSucceededListener
{
    Task OnRunSucceededAsync(int runId, CancellationToken cancellationToken);
}
