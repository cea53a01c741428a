using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenModelWatch.Web.Store.Migrations
{
    /// <inheritdoc />
    public partial class RunSources : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Source",
                table: "Runs",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "HubApi");

            migrationBuilder.AddColumn<string>(
                name: "SourceKey",
                table: "Runs",
                type: "TEXT",
                maxLength: 80,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Runs_SourceKey",
                table: "Runs",
                column: "SourceKey");

            // Runs recorded before sources were: the bundled snapshot's are the HF//RADAR slice, the rest the Hub API.
            migrationBuilder.Sql("UPDATE Runs SET Source = 'RadarSnapshot' WHERE \"Trigger\" = 'Snapshot';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Runs_SourceKey",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "Source",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "SourceKey",
                table: "Runs");
        }
    }
}
