using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace OpenModelWatch.Web.Store.PostgresMigrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "counts",
                columns: table => new
                {
                    modelid = table.Column<int>(type: "integer", nullable: false),
                    fromrunid = table.Column<int>(type: "integer", nullable: false),
                    torunid = table.Column<int>(type: "integer", nullable: true),
                    downloads30d = table.Column<long>(type: "bigint", nullable: false),
                    downloadsalltime = table.Column<long>(type: "bigint", nullable: true),
                    likes = table.Column<long>(type: "bigint", nullable: true),
                    trendingscore = table.Column<long>(type: "bigint", nullable: true),
                    incensus = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_counts", x => new { x.modelid, x.fromrunid });
                });

            migrationBuilder.CreateTable(
                name: "dataprotectionkeys",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    friendlyname = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    xml = table.Column<string>(type: "text", nullable: true, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dataprotectionkeys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "labs",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    organization = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    country = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    kind = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    source = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_labs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "lineagelookups",
                columns: table => new
                {
                    hubid = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    found = table.Column<bool>(type: "boolean", nullable: false),
                    renamedto = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    lookedupat = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_lineagelookups", x => x.hubid);
                });

            migrationBuilder.CreateTable(
                name: "runs",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    startedat = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    finishedat = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    trigger = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    sourcekey = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: true, collation: "C"),
                    host = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    models = table.Column<int>(type: "integer", nullable: false),
                    namespaces = table.Column<int>(type: "integer", nullable: false),
                    requests = table.Column<long>(type: "bigint", nullable: false),
                    retries = table.Column<long>(type: "bigint", nullable: false),
                    throttled = table.Column<long>(type: "bigint", nullable: false),
                    bytes = table.Column<long>(type: "bigint", nullable: false),
                    rejected = table.Column<int>(type: "integer", nullable: false),
                    duplicates = table.Column<int>(type: "integer", nullable: false),
                    unknownfields = table.Column<int>(type: "integer", nullable: false),
                    unknownfieldreasons = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    removed = table.Column<int>(type: "integer", nullable: false),
                    changed = table.Column<int>(type: "integer", nullable: false),
                    renamed = table.Column<int>(type: "integer", nullable: false),
                    censusmodels = table.Column<int>(type: "integer", nullable: false),
                    parentlookups = table.Column<int>(type: "integer", nullable: false),
                    lineagecycles = table.Column<int>(type: "integer", nullable: false),
                    missingparents = table.Column<int>(type: "integer", nullable: false),
                    rejectedreasons = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    error = table.Column<string>(type: "text", nullable: true, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_runs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "runtotals",
                columns: table => new
                {
                    runid = table.Column<int>(type: "integer", nullable: false),
                    attribution = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false, collation: "C"),
                    scope = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false, collation: "C"),
                    labid = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    models = table.Column<int>(type: "integer", nullable: false),
                    downloads30d = table.Column<long>(type: "bigint", nullable: false),
                    downloadsalltime = table.Column<long>(type: "bigint", nullable: false),
                    alltimeknown = table.Column<int>(type: "integer", nullable: false),
                    likes = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_runtotals", x => new { x.runid, x.attribution, x.scope, x.labid });
                });

            migrationBuilder.CreateTable(
                name: "models",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    hubid = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    @namespace = table.Column<string>(name: "namespace", type: "text", nullable: false, collation: "C"),
                    labid = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    task = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    library = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    license = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    createdat = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    parameters = table.Column<long>(type: "bigint", nullable: true),
                    basemodel = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    relation = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    parents = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    originid = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    originlabid = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    firstseenrunid = table.Column<int>(type: "integer", nullable: false),
                    lastseenrunid = table.Column<int>(type: "integer", nullable: false),
                    listed = table.Column<bool>(type: "boolean", nullable: false),
                    country = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    origincountry = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    downloads30d = table.Column<long>(type: "bigint", nullable: true),
                    downloadsalltime = table.Column<long>(type: "bigint", nullable: true),
                    likes = table.Column<long>(type: "bigint", nullable: true),
                    trendingscore = table.Column<long>(type: "bigint", nullable: true),
                    incensus = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_models", x => x.id);
                    table.ForeignKey(
                        name: "fk_models_labs_labid",
                        column: x => x.labid,
                        principalTable: "labs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "listings",
                columns: table => new
                {
                    runid = table.Column<int>(type: "integer", nullable: false),
                    modelid = table.Column<int>(type: "integer", nullable: false),
                    downloads30d = table.Column<long>(type: "bigint", nullable: false),
                    downloadsalltime = table.Column<long>(type: "bigint", nullable: true),
                    likes = table.Column<long>(type: "bigint", nullable: true),
                    trendingscore = table.Column<long>(type: "bigint", nullable: true),
                    incensus = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_listings", x => new { x.runid, x.modelid });
                    table.ForeignKey(
                        name: "fk_listings_models_modelid",
                        column: x => x.modelid,
                        principalTable: "models",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_listings_runs_runid",
                        column: x => x.runid,
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_labs_country",
                table: "labs",
                column: "country");

            migrationBuilder.CreateIndex(
                name: "ix_listings_modelid",
                table: "listings",
                column: "modelid");

            migrationBuilder.CreateIndex(
                name: "ix_models_basemodel",
                table: "models",
                column: "basemodel");

            migrationBuilder.CreateIndex(
                name: "ix_models_country_downloads30d",
                table: "models",
                columns: new[] { "country", "downloads30d" });

            migrationBuilder.CreateIndex(
                name: "ix_models_hubid",
                table: "models",
                column: "hubid",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_models_labid_downloads30d",
                table: "models",
                columns: new[] { "labid", "downloads30d" });

            migrationBuilder.CreateIndex(
                name: "ix_models_license_downloads30d",
                table: "models",
                columns: new[] { "license", "downloads30d" });

            migrationBuilder.CreateIndex(
                name: "ix_models_listed_createdat",
                table: "models",
                columns: new[] { "listed", "createdat" });

            migrationBuilder.CreateIndex(
                name: "ix_models_listed_downloads30d",
                table: "models",
                columns: new[] { "listed", "downloads30d" });

            migrationBuilder.CreateIndex(
                name: "ix_models_listed_downloadsalltime",
                table: "models",
                columns: new[] { "listed", "downloadsalltime" });

            migrationBuilder.CreateIndex(
                name: "ix_models_listed_likes",
                table: "models",
                columns: new[] { "listed", "likes" });

            migrationBuilder.CreateIndex(
                name: "ix_models_listed_parameters",
                table: "models",
                columns: new[] { "listed", "parameters" });

            migrationBuilder.CreateIndex(
                name: "ix_models_listed_trendingscore",
                table: "models",
                columns: new[] { "listed", "trendingscore" });

            migrationBuilder.CreateIndex(
                name: "ix_models_namespace",
                table: "models",
                column: "namespace");

            migrationBuilder.CreateIndex(
                name: "ix_models_origincountry_downloads30d",
                table: "models",
                columns: new[] { "origincountry", "downloads30d" });

            migrationBuilder.CreateIndex(
                name: "ix_models_originlabid_downloads30d",
                table: "models",
                columns: new[] { "originlabid", "downloads30d" });

            migrationBuilder.CreateIndex(
                name: "ix_models_task_downloads30d",
                table: "models",
                columns: new[] { "task", "downloads30d" });

            migrationBuilder.CreateIndex(
                name: "ix_runs_sourcekey",
                table: "runs",
                column: "sourcekey");

            migrationBuilder.CreateIndex(
                name: "ix_runs_status_finishedat",
                table: "runs",
                columns: new[] { "status", "finishedat" });

            // The writer inserts a model before any run lists it (SnapshotWriter): not listed, not in the census, as
            // SQLite's columns (added with a default) start.
            migrationBuilder.Sql("""
                ALTER TABLE models ALTER COLUMN listed SET DEFAULT false, ALTER COLUMN incensus SET DEFAULT false;
                """);

            // Every succeeded run's counts, as if stored whole (the Snapshot entity): for SQL readers and exact checks.
            migrationBuilder.Sql("""
                CREATE VIEW snapshots AS
                SELECT r.id AS runid, c.modelid, c.downloads30d, c.downloadsalltime, c.likes, c.trendingscore, c.incensus
                FROM runs r JOIN counts c ON c.fromrunid <= r.id AND (c.torunid IS NULL OR c.torunid > r.id)
                WHERE r.status = 'Succeeded';
                """);

            // Substring search (q=) over millions of ids without reading them all: a trigram index (pg_trgm, a trusted
            // extension the database owner may create) of the lower-cased ids, read through the ModelSearch entity as
            // SQLite's FTS5 table is. Lower case: SQLite's LIKE ignores ASCII case, PostgreSQL's does not.
            migrationBuilder.Sql("""
                CREATE EXTENSION IF NOT EXISTS pg_trgm;
                CREATE INDEX ix_models_hubid_trigram ON models USING gin (lower(hubid) gin_trgm_ops);
                CREATE VIEW modelsearch AS SELECT id AS rowid, lower(hubid) AS hubid FROM models;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP VIEW modelsearch;
                DROP INDEX ix_models_hubid_trigram;
                DROP VIEW snapshots;
                """);

            migrationBuilder.DropTable(
                name: "counts");

            migrationBuilder.DropTable(
                name: "dataprotectionkeys");

            migrationBuilder.DropTable(
                name: "lineagelookups");

            migrationBuilder.DropTable(
                name: "listings");

            migrationBuilder.DropTable(
                name: "runtotals");

            migrationBuilder.DropTable(
                name: "models");

            migrationBuilder.DropTable(
                name: "runs");

            migrationBuilder.DropTable(
                name: "labs");
        }
    }
}
