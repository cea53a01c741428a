using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace OpenModelWatch.Web.Store;

/// <summary>
/// The store. Migrations are checked in under <c>Store/Migrations</c>; to add one, from the repo root:
/// <c>dotnet tool restore &amp;&amp; dotnet ef migrations add NAME --project src/OpenModelWatch.Web --context OpenModelWatchDb --output-dir Store/Migrations</c>.
/// Bulk snapshot writes bypass change tracking (<see cref="Ingestion.SnapshotWriter"/>); this context serves reads and small edits.
/// This type is the SQLite store; <see cref="PostgresStoreDb"/> is the same model on PostgreSQL, with its own migrations.
/// </summary>
public class OpenModelWatchDb : DbContext
{
    public OpenModelWatchDb(DbContextOptions<OpenModelWatchDb> options) : base(options)
    {
    }

    /// <summary>For the provider's own context type (<see cref="PostgresStoreDb"/>).</summary>
    protected OpenModelWatchDb(DbContextOptions options) : base(options)
    {
    }

    /// <summary>Whether this context is on PostgreSQL, for the few queries whose SQL differs (case-insensitive search).</summary>
    public bool OnPostgres => Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL";

    public DbSet<Lab> Labs => Set<Lab>();
    public DbSet<Model> Models => Set<Model>();
    public DbSet<Listing> Listings => Set<Listing>();
    public DbSet<CountRange> Counts => Set<CountRange>();
    public DbSet<RunTotal> RunTotals => Set<RunTotal>();
    public DbSet<RunFacet> RunFacets => Set<RunFacet>();
    public DbSet<Snapshot> Snapshots => Set<Snapshot>();
    public DbSet<ModelSearch> ModelSearch => Set<ModelSearch>();
    public DbSet<IngestionRun> Runs => Set<IngestionRun>();
    public DbSet<LineageLookup> LineageLookups => Set<LineageLookup>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no time zone: every time is stored as UTC and read back as UTC.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    /// <summary>
    /// Whether the grid's pages walk an order's index and test their filters on it (SQLite, which keeps no statistics:
    /// <see cref="Reading.SnapshotRows.Of"/>); PostgreSQL plans from its statistics and never walks, so its
    /// <c>(Listed, Downloads30d)</c> index holds no more.
    /// </summary>
    protected virtual bool WalksOrderIndexes => true;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Lab>(lab =>
        {
            lab.HasKey(l => l.Id);
            lab.HasIndex(l => l.Country);
        });

        modelBuilder.Entity<Model>(model =>
        {
            model.HasIndex(m => m.HubId).IsUnique();
            model.HasIndex(m => m.Namespace);
            model.HasIndex(m => m.BaseModel);
            model.HasOne(m => m.Lab).WithMany().HasForeignKey(m => m.LabId).OnDelete(DeleteBehavior.SetNull);

            // The latest run's grid: one index per sort (listed models first), and one per filter with the default
            // sort, so a page reads an index range instead of the run (docs/architecture.md, "The store").
            if (WalksOrderIndexes)
            {
                // The default order's index, also holding what a walked page tests (SnapshotRows.Of's walkOrder): the
                // model id right after the count, so its entries stay in the grid's order (ties by id), then countries
                // under both attributions, the census flag, creation date and size. A deep page of a large filtered view then
                // skips its first rows on index entries alone: region Europe's page 100 at 3 million models, 324 ms
                // reading each skipped row, 18 ms (docs/performance.md).
                model.HasIndex(m => new { m.Listed, m.Downloads30d, m.Id, m.Country, m.OriginCountry, m.InCensus, m.CreatedAt, m.Parameters })
                    .HasDatabaseName("IX_Models_Listed_Downloads30d");
            }
            else
            {
                model.HasIndex(m => new { m.Listed, m.Downloads30d });
            }

            model.HasIndex(m => new { m.Listed, m.DownloadsAllTime });
            model.HasIndex(m => new { m.Listed, m.Likes });
            model.HasIndex(m => new { m.Listed, m.TrendingScore });
            model.HasIndex(m => new { m.Listed, m.CreatedAt });
            model.HasIndex(m => new { m.Listed, m.Parameters });
            model.HasIndex(m => new { m.LabId, m.Downloads30d });
            model.HasIndex(m => new { m.OriginLabId, m.Downloads30d });
            model.HasIndex(m => new { m.Country, m.Downloads30d });
            model.HasIndex(m => new { m.OriginCountry, m.Downloads30d });
            model.HasIndex(m => new { m.Task, m.Downloads30d });
            model.HasIndex(m => new { m.License, m.Downloads30d });
        });

        modelBuilder.Entity<Listing>(listing =>
        {
            listing.HasKey(s => new { s.RunId, s.ModelId });
            listing.HasOne(s => s.Model).WithMany().HasForeignKey(s => s.ModelId);
            listing.HasOne<IngestionRun>().WithMany().HasForeignKey(s => s.RunId);
        });

        modelBuilder.Entity<CountRange>(range =>
        {
            // No foreign keys: the table is the store's bulk, each row a key and five numbers (WITHOUT ROWID on SQLite).
            range.HasKey(c => new { c.ModelId, c.FromRunId });
        });

        modelBuilder.Entity<ModelSearch>(search =>
        {
            // A virtual table, created by hand in its migration (ModelSearch).
            search.ToTable("ModelSearch", table => table.ExcludeFromMigrations());
            search.HasKey(s => s.RowId);
            search.Property(s => s.RowId).HasColumnName("rowid");
        });

        modelBuilder.Entity<Snapshot>(snapshot =>
        {
            snapshot.HasNoKey().ToView("Snapshots");
            snapshot.HasOne(s => s.Model).WithMany().HasForeignKey(s => s.ModelId);
        });

        modelBuilder.Entity<RunTotal>(total =>
        {
            total.HasKey(t => new { t.RunId, t.Attribution, t.Scope, t.LabId });
            total.Property(t => t.Attribution).HasMaxLength(16);
            total.Property(t => t.Scope).HasMaxLength(16);
        });

        modelBuilder.Entity<RunFacet>(facet =>
        {
            facet.HasKey(f => new { f.RunId, f.Scope, f.Facet, f.Value });
            facet.Property(f => f.Scope).HasMaxLength(16);
            facet.Property(f => f.Facet).HasMaxLength(16);
        });

        modelBuilder.Entity<LineageLookup>().HasKey(l => l.HubId);

        modelBuilder.Entity<IngestionRun>(run =>
        {
            run.ToTable("Runs");
            run.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
            run.Property(r => r.Trigger).HasConversion<string>().HasMaxLength(16);
            run.Property(r => r.Source).HasConversion<string>().HasMaxLength(16);
            run.Property(r => r.SourceKey).HasMaxLength(80);
            run.HasIndex(r => r.SourceKey);
            run.HasIndex(r => new { r.Status, r.FinishedAt });
        });
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        toStore => toStore.Kind == DateTimeKind.Utc ? toStore : toStore.ToUniversalTime(),
        fromStore => DateTime.SpecifyKind(fromStore, DateTimeKind.Utc));
}

/// <summary>
/// For <c>dotnet ef migrations add … --context OpenModelWatchDb --output-dir Store/Migrations</c>: the SQLite model, needing
/// no file. Without it the tools build the context through <see cref="PostgresStoreDbDesignTimeFactory"/> (its context
/// derives from this one) and write PostgreSQL's migration into the SQLite folder.
/// </summary>
public sealed class OpenModelWatchDbDesignTimeFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<OpenModelWatchDb>
{
    public OpenModelWatchDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<OpenModelWatchDb>().UseSqlite("Data Source=:memory:").Options);
}
