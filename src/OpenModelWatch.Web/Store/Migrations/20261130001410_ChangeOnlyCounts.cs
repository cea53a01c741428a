using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenModelWatch.Web.Store.Migrations
{
    /// <inheritdoc />
    public partial class ChangeOnlyCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Models_LabId",
                table: "Models");

            migrationBuilder.DropIndex(
                name: "IX_Models_OriginLabId",
                table: "Models");

            migrationBuilder.AddColumn<int>(
                name: "Changed",
                table: "Runs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "Removed",
                table: "Runs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "UnknownFieldReasons",
                table: "Runs",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "UnknownFields",
                table: "Runs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "Country",
                table: "Models",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "Downloads30d",
                table: "Models",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "DownloadsAllTime",
                table: "Models",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "InCensus",
                table: "Models",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "Likes",
                table: "Models",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Listed",
                table: "Models",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "OriginCountry",
                table: "Models",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "TrendingScore",
                table: "Models",
                type: "INTEGER",
                nullable: true);

            // The store's bulk: a key and five numbers a row, so no rowid beside the key (SQLite's WITHOUT ROWID).
            migrationBuilder.Sql("""
                CREATE TABLE "Counts" (
                    "ModelId" INTEGER NOT NULL,
                    "FromRunId" INTEGER NOT NULL,
                    "ToRunId" INTEGER NULL,
                    "Downloads30d" INTEGER NOT NULL,
                    "DownloadsAllTime" INTEGER NULL,
                    "Likes" INTEGER NULL,
                    "TrendingScore" INTEGER NULL,
                    "InCensus" INTEGER NOT NULL,
                    CONSTRAINT "PK_Counts" PRIMARY KEY ("ModelId", "FromRunId")
                ) WITHOUT ROWID;
                """);

            migrationBuilder.CreateTable(
                name: "Listings",
                columns: table => new
                {
                    RunId = table.Column<int>(type: "INTEGER", nullable: false),
                    ModelId = table.Column<int>(type: "INTEGER", nullable: false),
                    Downloads30d = table.Column<long>(type: "INTEGER", nullable: false),
                    DownloadsAllTime = table.Column<long>(type: "INTEGER", nullable: true),
                    Likes = table.Column<long>(type: "INTEGER", nullable: true),
                    TrendingScore = table.Column<long>(type: "INTEGER", nullable: true),
                    InCensus = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Listings", x => new { x.RunId, x.ModelId });
                    table.ForeignKey(
                        name: "FK_Listings_Models_ModelId",
                        column: x => x.ModelId,
                        principalTable: "Models",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Listings_Runs_RunId",
                        column: x => x.RunId,
                        principalTable: "Runs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "RunTotals",
                columns: table => new
                {
                    RunId = table.Column<int>(type: "INTEGER", nullable: false),
                    Attribution = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    LabId = table.Column<string>(type: "TEXT", nullable: false),
                    Models = table.Column<int>(type: "INTEGER", nullable: false),
                    Downloads30d = table.Column<long>(type: "INTEGER", nullable: false),
                    DownloadsAllTime = table.Column<long>(type: "INTEGER", nullable: false),
                    AllTimeKnown = table.Column<int>(type: "INTEGER", nullable: false),
                    Likes = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RunTotals", x => new { x.RunId, x.Attribution, x.Scope, x.LabId });
                });

            migrationBuilder.CreateIndex(
                name: "IX_Models_Country_Downloads30d",
                table: "Models",
                columns: new[] { "Country", "Downloads30d" });

            migrationBuilder.CreateIndex(
                name: "IX_Models_LabId_Downloads30d",
                table: "Models",
                columns: new[] { "LabId", "Downloads30d" });

            migrationBuilder.CreateIndex(
                name: "IX_Models_License_Downloads30d",
                table: "Models",
                columns: new[] { "License", "Downloads30d" });

            migrationBuilder.CreateIndex(
                name: "IX_Models_Listed_CreatedAt",
                table: "Models",
                columns: new[] { "Listed", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Models_Listed_Downloads30d",
                table: "Models",
                columns: new[] { "Listed", "Downloads30d" });

            migrationBuilder.CreateIndex(
                name: "IX_Models_Listed_DownloadsAllTime",
                table: "Models",
                columns: new[] { "Listed", "DownloadsAllTime" });

            migrationBuilder.CreateIndex(
                name: "IX_Models_Listed_Likes",
                table: "Models",
                columns: new[] { "Listed", "Likes" });

            migrationBuilder.CreateIndex(
                name: "IX_Models_Listed_Parameters",
                table: "Models",
                columns: new[] { "Listed", "Parameters" });

            migrationBuilder.CreateIndex(
                name: "IX_Models_Listed_TrendingScore",
                table: "Models",
                columns: new[] { "Listed", "TrendingScore" });

            migrationBuilder.CreateIndex(
                name: "IX_Models_OriginCountry_Downloads30d",
                table: "Models",
                columns: new[] { "OriginCountry", "Downloads30d" });

            migrationBuilder.CreateIndex(
                name: "IX_Models_OriginLabId_Downloads30d",
                table: "Models",
                columns: new[] { "OriginLabId", "Downloads30d" });

            migrationBuilder.CreateIndex(
                name: "IX_Models_Task_Downloads30d",
                table: "Models",
                columns: new[] { "Task", "Downloads30d" });

            migrationBuilder.CreateIndex(
                name: "IX_Listings_ModelId",
                table: "Listings",
                column: "ModelId");

            // Every succeeded run's snapshots become ranges of unchanged counts over consecutive succeeded runs (a
            // gap, or any changed count, starts a new range); the latest run's counts go onto the models; the rows of
            // runs that never succeeded (never shown) are dropped. Totals are written at the next start
            // (StoreInitializer), by the same code as a run's. No number changes: see StoreUpgradeTests.
            migrationBuilder.Sql("""
                CREATE TEMP TABLE SucceededRuns (Seq INTEGER PRIMARY KEY, Id INTEGER NOT NULL);
                INSERT INTO temp.SucceededRuns SELECT ROW_NUMBER() OVER (ORDER BY Id), Id FROM Runs WHERE Status = 'Succeeded';
                CREATE TEMP TABLE RunSeq (Id INTEGER PRIMARY KEY, Seq INTEGER NOT NULL);
                INSERT INTO temp.RunSeq SELECT Id, Seq FROM temp.SucceededRuns;
                INSERT INTO Counts (ModelId, FromRunId, ToRunId, Downloads30d, DownloadsAllTime, Likes, TrendingScore, InCensus)
                WITH s AS (
                    SELECT sn.ModelId, r.Seq, sn.Downloads30d AS D, sn.DownloadsAllTime AS A, sn.Likes AS L, sn.TrendingScore AS T, sn.InCensus AS C,
                        LAG(r.Seq) OVER w AS PS, LAG(sn.Downloads30d) OVER w AS PD, LAG(sn.DownloadsAllTime) OVER w AS PA,
                        LAG(sn.Likes) OVER w AS PL, LAG(sn.TrendingScore) OVER w AS PT, LAG(sn.InCensus) OVER w AS PC
                    FROM Snapshots sn JOIN temp.RunSeq r ON r.Id = sn.RunId
                    WINDOW w AS (PARTITION BY sn.ModelId ORDER BY r.Seq)
                ),
                g AS (
                    SELECT *, SUM(CASE WHEN PS = Seq - 1 AND PD IS D AND PA IS A AND PL IS L AND PT IS T AND PC IS C THEN 0 ELSE 1 END)
                        OVER (PARTITION BY ModelId ORDER BY Seq ROWS UNBOUNDED PRECEDING) AS Grp
                    FROM s
                ),
                ranges AS (
                    SELECT ModelId, MIN(Seq) AS FromSeq, MAX(Seq) AS LastSeq, MIN(D) AS D, MIN(A) AS A, MIN(L) AS L, MIN(T) AS T, MIN(C) AS C
                    FROM g GROUP BY ModelId, Grp
                )
                SELECT ModelId, (SELECT Id FROM temp.SucceededRuns WHERE Seq = FromSeq), (SELECT Id FROM temp.SucceededRuns WHERE Seq = LastSeq + 1),
                    D, A, L, T, C
                FROM ranges;
                UPDATE Models SET Listed = 1, Downloads30d = c.Downloads30d, DownloadsAllTime = c.DownloadsAllTime, Likes = c.Likes,
                    TrendingScore = c.TrendingScore, InCensus = c.InCensus
                FROM Counts c WHERE c.ModelId = Models.Id AND c.ToRunId IS NULL;
                UPDATE Models SET Country = (SELECT l.Country FROM Labs l WHERE l.Id = Models.LabId),
                    OriginCountry = (SELECT l.Country FROM Labs l WHERE l.Id = Models.OriginLabId);
                DROP TABLE temp.SucceededRuns;
                DROP TABLE temp.RunSeq;
                """);

            migrationBuilder.DropTable(
                name: "Snapshots");

            // Every succeeded run's counts, as if stored whole (the Snapshot entity): for SQL readers and exact checks.
            migrationBuilder.Sql("""
                CREATE VIEW "Snapshots" AS
                SELECT r."Id" AS "RunId", c."ModelId", c."Downloads30d", c."DownloadsAllTime", c."Likes", c."TrendingScore", c."InCensus"
                FROM "Runs" r JOIN "Counts" c ON c."FromRunId" <= r."Id" AND (c."ToRunId" IS NULL OR c."ToRunId" > r."Id")
                WHERE r."Status" = 'Succeeded';
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Down recreates the old tables empty: the ranges are not expanded back (restore a backup to go back).
            migrationBuilder.Sql("DROP VIEW \"Snapshots\";");

            migrationBuilder.DropTable(
                name: "Counts");

            migrationBuilder.DropTable(
                name: "Listings");

            migrationBuilder.DropTable(
                name: "RunTotals");

            migrationBuilder.DropIndex(
                name: "IX_Models_Country_Downloads30d",
                table: "Models");

            migrationBuilder.DropIndex(
                name: "IX_Models_LabId_Downloads30d",
                table: "Models");

            migrationBuilder.DropIndex(
                name: "IX_Models_License_Downloads30d",
                table: "Models");

            migrationBuilder.DropIndex(
                name: "IX_Models_Listed_CreatedAt",
                table: "Models");

            migrationBuilder.DropIndex(
                name: "IX_Models_Listed_Downloads30d",
                table: "Models");

            migrationBuilder.DropIndex(
                name: "IX_Models_Listed_DownloadsAllTime",
                table: "Models");

            migrationBuilder.DropIndex(
                name: "IX_Models_Listed_Likes",
                table: "Models");

            migrationBuilder.DropIndex(
                name: "IX_Models_Listed_Parameters",
                table: "Models");

            migrationBuilder.DropIndex(
                name: "IX_Models_Listed_TrendingScore",
                table: "Models");

            migrationBuilder.DropIndex(
                name: "IX_Models_OriginCountry_Downloads30d",
                table: "Models");

            migrationBuilder.DropIndex(
                name: "IX_Models_OriginLabId_Downloads30d",
                table: "Models");

            migrationBuilder.DropIndex(
                name: "IX_Models_Task_Downloads30d",
                table: "Models");

            migrationBuilder.DropColumn(
                name: "Changed",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "Removed",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "UnknownFieldReasons",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "UnknownFields",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "Country",
                table: "Models");

            migrationBuilder.DropColumn(
                name: "Downloads30d",
                table: "Models");

            migrationBuilder.DropColumn(
                name: "DownloadsAllTime",
                table: "Models");

            migrationBuilder.DropColumn(
                name: "InCensus",
                table: "Models");

            migrationBuilder.DropColumn(
                name: "Likes",
                table: "Models");

            migrationBuilder.DropColumn(
                name: "Listed",
                table: "Models");

            migrationBuilder.DropColumn(
                name: "OriginCountry",
                table: "Models");

            migrationBuilder.DropColumn(
                name: "TrendingScore",
                table: "Models");

            migrationBuilder.CreateTable(
                name: "Snapshots",
                columns: table => new
                {
                    RunId = table.Column<int>(type: "INTEGER", nullable: false),
                    ModelId = table.Column<int>(type: "INTEGER", nullable: false),
                    Downloads30d = table.Column<long>(type: "INTEGER", nullable: false),
                    DownloadsAllTime = table.Column<long>(type: "INTEGER", nullable: true),
                    InCensus = table.Column<bool>(type: "INTEGER", nullable: false),
                    Likes = table.Column<long>(type: "INTEGER", nullable: false),
                    TrendingScore = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Snapshots", x => new { x.RunId, x.ModelId });
                    table.ForeignKey(
                        name: "FK_Snapshots_Models_ModelId",
                        column: x => x.ModelId,
                        principalTable: "Models",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Snapshots_Runs_RunId",
                        column: x => x.RunId,
                        principalTable: "Runs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Models_LabId",
                table: "Models",
                column: "LabId");

            migrationBuilder.CreateIndex(
                name: "IX_Models_OriginLabId",
                table: "Models",
                column: "OriginLabId");

            migrationBuilder.CreateIndex(
                name: "IX_Snapshots_ModelId_RunId",
                table: "Snapshots",
                columns: new[] { "ModelId", "RunId" });

            migrationBuilder.CreateIndex(
                name: "IX_Snapshots_RunId_Downloads30d",
                table: "Snapshots",
                columns: new[] { "RunId", "Downloads30d" });
        }
    }
}
