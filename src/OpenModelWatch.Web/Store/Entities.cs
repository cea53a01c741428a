namespace OpenModelWatch.Web.Store;

/// <summary>A lab as the registry last described it; kept in the store so queries can join on it.</summary>
public sealed class Lab
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public required string Organization { get; set; }
    public required string Country { get; set; }
    public required string Kind { get; set; }
    public required string Source { get; set; }
}

/// <summary>
/// A Hub model. Its metadata is the latest a run saw. It also carries, denormalised, what the latest succeeded run's
/// grid filters and sorts by: the lab's country under both attributions and the counts that run recorded
/// (<see cref="Listed"/>); its history of counts lives in <see cref="CountRange"/>s.
/// </summary>
public sealed class Model
{
    public int Id { get; set; }
    public required string HubId { get; set; }
    public required string Namespace { get; set; }

    /// <summary>The lab of <see cref="Namespace"/> in the registry; null when the namespace is not registered (Unknown).</summary>
    public string? LabId { get; set; }
    public Lab? Lab { get; set; }
    public string? Task { get; set; }
    public string? Library { get; set; }
    public string? License { get; set; }
    public DateTime? CreatedAt { get; set; }
    public long? Parameters { get; set; }

    /// <summary>The first parent the model declares (<c>base_model:</c> tags), and how it derives from it.</summary>
    public string? BaseModel { get; set; }
    public string? Relation { get; set; }

    /// <summary>Every parent, in tag order: <c>relation:ORG/NAME</c> joined by spaces (a merge has several).</summary>
    public string? Parents { get; set; }

    /// <summary>The root of the model's lineage (following first parents); the model itself when it has no parent.</summary>
    public string? OriginId { get; set; }

    /// <summary>The lab of <see cref="OriginId"/>'s namespace; null when that namespace is not registered or the root is unknown.</summary>
    public string? OriginLabId { get; set; }
    public int FirstSeenRunId { get; set; }
    public int LastSeenRunId { get; set; }

    /// <summary>Whether the latest succeeded run listed the model; the counts below are that run's (null when not listed).</summary>
    public bool Listed { get; set; }

    /// <summary>The country of <see cref="LabId"/>; null when the uploader is not a registered lab.</summary>
    public string? Country { get; set; }

    /// <summary>The country of <see cref="OriginLabId"/>; null when the origin's lab is unknown.</summary>
    public string? OriginCountry { get; set; }
    public long? Downloads30d { get; set; }
    public long? DownloadsAllTime { get; set; }
    public long? Likes { get; set; }
    public long? TrendingScore { get; set; }
    public bool InCensus { get; set; }
}

/// <summary>
/// The counts of one model as listed by a run in progress, exactly as the Hub sent them: a staging row. When the run
/// succeeds its listings become <see cref="CountRange"/>s (only what changed) and the models' latest counts, in the
/// run's final transaction, and are deleted; a failed or killed run's listings are deleted.
/// </summary>
public sealed class Listing
{
    public int RunId { get; set; }
    public int ModelId { get; set; }
    public Model? Model { get; set; }
    public long Downloads30d { get; set; }

    /// <summary>Null where the source did not have it (the bundled snapshot has no all-time counts) or it was not trustworthy.</summary>
    public long? DownloadsAllTime { get; set; }

    /// <summary>Null where the Hub's value was not trustworthy (missing, negative, implausible).</summary>
    public long? Likes { get; set; }

    /// <summary>Null where the source did not have it (the bundled snapshot has it for its last time only).</summary>
    public long? TrendingScore { get; set; }

    /// <summary>Whether the model was among the Hub's top <c>Census:TopN</c> by 30-day downloads in this run.</summary>
    public bool InCensus { get; set; }
}

/// <summary>
/// A model's counts over a range of succeeded runs: from <see cref="FromRunId"/> (the first run that listed these
/// exact counts) up to, not including, <see cref="ToRunId"/> (the first later run that listed different counts or
/// did not list the model; null while the latest succeeded run still lists them). Runs are numbered in the order
/// they ran, one at a time, so a model's counts in any succeeded run are those of the range that covers its id:
/// the store grows with what changed, not with what exists, and every past run is answered exactly.
/// </summary>
public sealed class CountRange
{
    public int ModelId { get; set; }
    public int FromRunId { get; set; }
    public int? ToRunId { get; set; }
    public long Downloads30d { get; set; }
    public long? DownloadsAllTime { get; set; }
    public long? Likes { get; set; }
    public long? TrendingScore { get; set; }
    public bool InCensus { get; set; }
}

/// <summary>
/// The models' ids in a trigram full-text index (SQLite FTS5, <c>tokenize='trigram'</c>, kept in step with
/// <see cref="Model"/> by triggers): a substring search (<c>q=</c>) reads the index instead of every model.
/// </summary>
public sealed class ModelSearch
{
    /// <summary>The model's <see cref="Model.Id"/> (the index's rowid).</summary>
    public int RowId { get; set; }
    public required string HubId { get; set; }
}

/// <summary>
/// A model's counts in one succeeded run, as if every run were stored whole: the <c>Snapshots</c> view, which expands
/// the count ranges over the succeeded runs they cover. For people and tests reading the store with SQL
/// (<c>SELECT * FROM Snapshots WHERE RunId = 7</c>) and for exact checks; the app's own reads use
/// <c>Reading/SnapshotRows</c>, which reads one run without expanding the others.
/// </summary>
public sealed class Snapshot
{
    public int RunId { get; set; }
    public int ModelId { get; set; }
    public Model? Model { get; set; }
    public long Downloads30d { get; set; }
    public long? DownloadsAllTime { get; set; }
    public long? Likes { get; set; }
    public long? TrendingScore { get; set; }
    public bool InCensus { get; set; }
}

/// <summary>
/// One lab's totals in one succeeded run under one counting view (attribution and scope), written in the run's final
/// transaction: what the labs, countries and overview pages and every over-time chart read. <see cref="LabId"/> is
/// empty for the models of no registered lab (Community or Unknown).
/// </summary>
public sealed class RunTotal
{
    public int RunId { get; set; }
    public required string Attribution { get; set; }
    public required string Scope { get; set; }
    public required string LabId { get; set; }
    public int Models { get; set; }
    public long Downloads30d { get; set; }
    public long DownloadsAllTime { get; set; }
    public int AllTimeKnown { get; set; }
    public long Likes { get; set; }
}

/// <summary>
/// How many models of the latest succeeded run have one task, or one licence (<see cref="Facet"/>: <c>Task</c> or
/// <c>License</c>; <see cref="Value"/> the empty string for none), in one scope: what a models view filtered by a task
/// or a licence alone shows as its count, instead of counting the filter index's entries (a million at 3M models).
/// Written in the run's final transaction with its <see cref="RunTotal"/>s; an earlier run's are deleted then, since a
/// past run's rows carry today's task and licence, which may not be the ones counted on its day.
/// </summary>
public sealed class RunFacet
{
    public int RunId { get; set; }
    public required string Scope { get; set; }
    public required string Facet { get; set; }
    public required string Value { get; set; }
    public int Models { get; set; }
    public long Downloads30d { get; set; }
}

/// <summary>A parent looked up on the Hub because no run had listed it; kept, since lineage does not change.</summary>
public sealed class LineageLookup
{
    public required string HubId { get; set; }

    /// <summary>False when the Hub answered 404 (missing, or private to someone else).</summary>
    public bool Found { get; set; }

    /// <summary>The repository's new name when the Hub redirected the look-up (a renamed repository); children are pointed to it.</summary>
    public string? RenamedTo { get; set; }
    public DateTime LookedUpAt { get; set; }
}

public enum RunStatus
{
    Running,
    Succeeded,
    Failed,
}

public enum RunTrigger
{
    Schedule,
    Manual,
    Command,
    Snapshot,

    /// <summary>A whole-Hub Parquet file (the <c>cfahlgren1/hub-stats</c> format) recorded by the <c>import</c> command.</summary>
    Import,
}

/// <summary>
/// Where a run's numbers come from, and so what it covers: the live Hub API (the census and the registered labs), a
/// whole-Hub Parquet census, or one of the bundled real datasets (a trending slice; a curated list of organisations).
/// A time series that crosses sources says so and compares like with like.
/// </summary>
public enum RunSource
{
    /// <summary>This install's own runs against the Hub API: the census (top N or the whole Hub) and every registered namespace.</summary>
    HubApi,

    /// <summary>A <c>cfahlgren1/hub-stats</c> daily <c>models.parquet</c>: every public model of the Hub that day.</summary>
    HubStats,

    /// <summary>The bundled August 2026 snapshot (HF//RADAR): the Hub's trending and top models plus the tracked labs.</summary>
    RadarSnapshot,

    /// <summary>The bundled monthly history November 2024 – September 2025 (BAAI OSIR-LMTS): a curated list of 19–65 organisations.</summary>
    OsirMonthly,
}

/// <summary>One ingestion pass. Only a <see cref="RunStatus.Succeeded"/> run's snapshots are ever shown.</summary>
public sealed class IngestionRun
{
    public int Id { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public RunStatus Status { get; set; }
    public RunTrigger Trigger { get; set; }

    /// <summary>Where the run's numbers come from (and so what it covers).</summary>
    public RunSource Source { get; set; }

    /// <summary>
    /// What identifies the source's content, so the same input is never recorded twice: for an imported file the
    /// SHA-256 of its bytes (<c>sha256:…</c>); null for live runs.
    /// </summary>
    public string? SourceKey { get; set; }

    /// <summary>Who ran it: host name and process id, so an interrupted run can be told apart.</summary>
    public required string Host { get; set; }
    public int Models { get; set; }
    public int Namespaces { get; set; }
    public long Requests { get; set; }
    public long Retries { get; set; }
    public long Throttled { get; set; }
    public long Bytes { get; set; }
    public int Rejected { get; set; }
    public int Duplicates { get; set; }

    /// <summary>Models stored with a secondary field left unknown because the Hub's value was not trustworthy.</summary>
    public int UnknownFields { get; set; }

    /// <summary>Why fields were left unknown, e.g. <c>implausible downloadsAllTime: 156; negative likes: 2</c>.</summary>
    public string? UnknownFieldReasons { get; set; }

    /// <summary>Models the previous succeeded run listed and this one did not (removed, made private, or renamed away).</summary>
    public int Removed { get; set; }

    /// <summary>Models whose counts changed since the previous succeeded run, or that are new in it: the ranges this run wrote.</summary>
    public int Changed { get; set; }

    /// <summary>Of the models no longer listed, those the Hub answered under a new name when looked up (renamed repositories).</summary>
    public int Renamed { get; set; }

    /// <summary>Models stored from the Hub-wide top list (the census).</summary>
    public int CensusModels { get; set; }

    /// <summary>
    /// An earlier day recorded after a later run (an imported file of last year, the bundled history brought to an
    /// existing store): its counts are ranges that cover it alone, and the models keep the later run's latest counts,
    /// so the as-of run stays the one the models carry (<see cref="Reading.RunCounts.CurrentRunId"/>).
    /// </summary>
    public bool Backfilled { get; set; }

    /// <summary>Missing parents looked up on the Hub (bounded by <c>Census:MaxParentLookups</c>).</summary>
    public int ParentLookups { get; set; }

    /// <summary>Lineage chains that loop back on themselves (origin left unknown).</summary>
    public int LineageCycles { get; set; }

    /// <summary>Chains whose root parent is missing or private on the Hub (origin is that parent's namespace).</summary>
    public int MissingParents { get; set; }

    /// <summary>Why records were rejected, e.g. <c>negative likes: 2; downloads null: 1</c>.</summary>
    public string? RejectedReasons { get; set; }
    public string? Error { get; set; }
}
