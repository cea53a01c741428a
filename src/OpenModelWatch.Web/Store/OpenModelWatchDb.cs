using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace OpenModelWatch.Web.Store;

/// <summary>
/// The store. Migrations are checked in under <c>Store/Migrations</c>; to add one, from the repo root:
/// <c>dotnet tool restore &amp;&amp; dotnet ef migrations add NAME --project src/OpenModelWatch.Web --output-dir Store/Migrations</c>.
/// Bulk snapshot writes bypass change tracking (<see cref="Ingestion.SnapshotWriter"/>); this context serves reads and small edits.
/// </summary>
public sealed class OpenModelWatchDb(DbContextOptions<OpenModelWatchDb> options) : DbContext(options)
{
    public DbSet<Lab> Labs => Set<Lab>();
    public DbSet<Model> Models => Set<Model>();
    public DbSet<Snapshot> Snapshots => Set<Snapshot>();
    public DbSet<IngestionRun> Runs => Set<IngestionRun>();
    public DbSet<LineageLookup> LineageLookups => Set<LineageLookup>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no time zone: every time is stored as UTC and read back as UTC.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

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
            model.HasIndex(m => m.LabId);
            model.HasIndex(m => m.Namespace);
            model.HasIndex(m => m.BaseModel);
            model.HasIndex(m => m.OriginLabId);
            model.HasOne(m => m.Lab).WithMany().HasForeignKey(m => m.LabId).OnDelete(DeleteBehavior.SetNull);
        });

        modelBuilder.Entity<Snapshot>(snapshot =>
        {
            snapshot.HasKey(s => new { s.RunId, s.ModelId });
            snapshot.HasIndex(s => new { s.RunId, s.Downloads30d });
            snapshot.HasIndex(s => new { s.ModelId, s.RunId });
            snapshot.HasOne(s => s.Model).WithMany().HasForeignKey(s => s.ModelId);
            snapshot.HasOne<IngestionRun>().WithMany().HasForeignKey(s => s.RunId);
        });

        modelBuilder.Entity<LineageLookup>().HasKey(l => l.HubId);

        modelBuilder.Entity<IngestionRun>(run =>
        {
            run.ToTable("Runs");
            run.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
            run.Property(r => r.Trigger).HasConversion<string>().HasMaxLength(16);
            run.HasIndex(r => new { r.Status, r.FinishedAt });
        });
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        toStore => toStore.Kind == DateTimeKind.Utc ? toStore : toStore.ToUniversalTime(),
        fromStore => DateTime.SpecifyKind(fromStore, DateTimeKind.Utc));
}
