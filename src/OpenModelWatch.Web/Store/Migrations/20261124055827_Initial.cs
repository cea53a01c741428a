using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenModelWatch.Web.Store.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Labs",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    Organization = table.Column<string>(type: "TEXT", nullable: false),
                    Country = table.Column<string>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", nullable: false),
                    Source = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Labs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "LineageLookups",
                columns: table => new
                {
                    HubId = table.Column<string>(type: "TEXT", nullable: false),
                    Found = table.Column<bool>(type: "INTEGER", nullable: false),
                    LookedUpAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LineageLookups", x => x.HubId);
                });

            migrationBuilder.CreateTable(
                name: "Runs",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    FinishedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Trigger = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Host = table.Column<string>(type: "TEXT", nullable: false),
                    Models = table.Column<int>(type: "INTEGER", nullable: false),
                    Namespaces = table.Column<int>(type: "INTEGER", nullable: false),
                    Requests = table.Column<long>(type: "INTEGER", nullable: false),
                    Retries = table.Column<long>(type: "INTEGER", nullable: false),
                    Throttled = table.Column<long>(type: "INTEGER", nullable: false),
                    Bytes = table.Column<long>(type: "INTEGER", nullable: false),
                    Rejected = table.Column<int>(type: "INTEGER", nullable: false),
                    Duplicates = table.Column<int>(type: "INTEGER", nullable: false),
                    CensusModels = table.Column<int>(type: "INTEGER", nullable: false),
                    ParentLookups = table.Column<int>(type: "INTEGER", nullable: false),
                    LineageCycles = table.Column<int>(type: "INTEGER", nullable: false),
                    MissingParents = table.Column<int>(type: "INTEGER", nullable: false),
                    RejectedReasons = table.Column<string>(type: "TEXT", nullable: true),
                    Error = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Runs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Models",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    HubId = table.Column<string>(type: "TEXT", nullable: false),
                    Namespace = table.Column<string>(type: "TEXT", nullable: false),
                    LabId = table.Column<string>(type: "TEXT", nullable: true),
                    Task = table.Column<string>(type: "TEXT", nullable: true),
                    Library = table.Column<string>(type: "TEXT", nullable: true),
                    License = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Parameters = table.Column<long>(type: "INTEGER", nullable: true),
                    BaseModel = table.Column<string>(type: "TEXT", nullable: true),
                    Relation = table.Column<string>(type: "TEXT", nullable: true),
                    Parents = table.Column<string>(type: "TEXT", nullable: true),
                    OriginId = table.Column<string>(type: "TEXT", nullable: true),
                    OriginLabId = table.Column<string>(type: "TEXT", nullable: true),
                    FirstSeenRunId = table.Column<int>(type: "INTEGER", nullable: false),
                    LastSeenRunId = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Models", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Models_Labs_LabId",
                        column: x => x.LabId,
                        principalTable: "Labs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "Snapshots",
                columns: table => new
                {
                    RunId = table.Column<int>(type: "INTEGER", nullable: false),
                    ModelId = table.Column<int>(type: "INTEGER", nullable: false),
                    Downloads30d = table.Column<long>(type: "INTEGER", nullable: false),
                    DownloadsAllTime = table.Column<long>(type: "INTEGER", nullable: true),
                    Likes = table.Column<long>(type: "INTEGER", nullable: false),
                    TrendingScore = table.Column<long>(type: "INTEGER", nullable: true),
                    InCensus = table.Column<bool>(type: "INTEGER", nullable: false)
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
                name: "IX_Labs_Country",
                table: "Labs",
                column: "Country");

            migrationBuilder.CreateIndex(
                name: "IX_Models_BaseModel",
                table: "Models",
                column: "BaseModel");

            migrationBuilder.CreateIndex(
                name: "IX_Models_HubId",
                table: "Models",
                column: "HubId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Models_LabId",
                table: "Models",
                column: "LabId");

            migrationBuilder.CreateIndex(
                name: "IX_Models_Namespace",
                table: "Models",
                column: "Namespace");

            migrationBuilder.CreateIndex(
                name: "IX_Models_OriginLabId",
                table: "Models",
                column: "OriginLabId");

            migrationBuilder.CreateIndex(
                name: "IX_Runs_Status_FinishedAt",
                table: "Runs",
                columns: new[] { "Status", "FinishedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Snapshots_ModelId_RunId",
                table: "Snapshots",
                columns: new[] { "ModelId", "RunId" });

            migrationBuilder.CreateIndex(
                name: "IX_Snapshots_RunId_Downloads30d",
                table: "Snapshots",
                columns: new[] { "RunId", "Downloads30d" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LineageLookups");

            migrationBuilder.DropTable(
                name: "Snapshots");

            migrationBuilder.DropTable(
                name: "Models");

            migrationBuilder.DropTable(
                name: "Runs");

            migrationBuilder.DropTable(
                name: "Labs");
        }
    }
}
