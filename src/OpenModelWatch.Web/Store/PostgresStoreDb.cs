using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace OpenModelWatch.Web.Store;

/// <summary>
/// The store on PostgreSQL (<c>Store:Provider=PostgreSQL</c>): the same model as <see cref="OpenModelWatchDb"/>, with
/// its own migrations (<c>Store/PostgresMigrations</c>), plus the data-protection keys every web replica shares.
/// Names are lower case (<c>models.hubid</c>), PostgreSQL's own folding, so the hand-written SQL of the store, which
/// names tables and columns unquoted, reads the same on both providers; text compares and sorts in the C collation
/// (by code point), as SQLite's BINARY does, so both give the same order. To add a migration, from the repo root:
/// <c>dotnet ef migrations add NAME --project src/OpenModelWatch.Web --context PostgresStoreDb --output-dir Store/PostgresMigrations</c>
/// (and the same NAME for <see cref="OpenModelWatchDb"/>: every change of the shared model has a migration on each side;
/// a PostgreSQL setting such as <see cref="ModelsFillFactor"/> has one here only).
/// </summary>
public sealed class PostgresStoreDb(DbContextOptions<PostgresStoreDb> options) : OpenModelWatchDb(options), IDataProtectionKeyContext
{
    /// <summary>ASP.NET Core's data-protection keys: a login cookie issued by one replica is read by every other.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<string>().UseCollation("C");
    }

    /// <summary>
    /// How full PostgreSQL fills a page of <c>models</c> on insert (<c>fillfactor</c>, percent). Every run rewrites the
    /// last-seen run of every listed model in one statement, and PostgreSQL writes a new row version for each: with room
    /// on the row's page for it, the new version is a heap-only (HOT) update, no index entry, its old version pruned
    /// with the page; without room (the default 100), it lands on another page with a new entry in each of the
    /// table's 17 indexes, dead until a vacuum. Half a page is room for one new version of each row. See
    /// docs/performance.md, "PostgreSQL's growth".
    /// </summary>
    public const int ModelsFillFactor = 50;

    protected override bool WalksOrderIndexes => false;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<Model>().HasStorageParameter("fillfactor", ModelsFillFactor);
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            if (entity.GetViewName() is { } view)
            {
                entity.SetViewName(view.ToLowerInvariant());
            }
            else if (entity.GetTableName() is { } table)
            {
                entity.SetTableName(table.ToLowerInvariant());
            }

            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(property.GetColumnName().ToLowerInvariant());
            }

            foreach (var key in entity.GetKeys())
            {
                key.SetName(key.GetName()!.ToLowerInvariant());
            }

            foreach (var foreignKey in entity.GetForeignKeys())
            {
                foreignKey.SetConstraintName(foreignKey.GetConstraintName()!.ToLowerInvariant());
            }

            foreach (var index in entity.GetIndexes())
            {
                index.SetDatabaseName(index.GetDatabaseName()!.ToLowerInvariant());
            }
        }
    }
}

/// <summary>For <c>dotnet ef migrations add … --context PostgresStoreDb</c>: the model needs no server.</summary>
public sealed class PostgresStoreDbDesignTimeFactory : IDesignTimeDbContextFactory<PostgresStoreDb>
{
    public PostgresStoreDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresStoreDb>().UseNpgsql("Host=localhost;Database=openmodelwatch").Options);
}
