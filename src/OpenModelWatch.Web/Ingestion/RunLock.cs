using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Ingestion;

/// <summary>
/// One run at a time per database, across processes: an exclusive lock on a file beside the database. The operating
/// system drops it when the holder exits or is killed, so a crash never leaves the store locked.
/// </summary>
public sealed class RunLock(StoreConnection store)
{
    public string LockPath => store.DatabasePath + ".ingest.lock";

    /// <summary>The held lock (dispose to release), or null when another run holds it.</summary>
    public IDisposable? TryAcquire()
    {
        try
        {
            return new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
