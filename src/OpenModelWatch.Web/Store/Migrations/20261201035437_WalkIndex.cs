using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenModelWatch.Web.Store.Migrations
{
    /// <inheritdoc />
    public partial class WalkIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Models_Listed_Downloads30d",
                table: "Models");

            migrationBuilder.CreateIndex(
                name: "IX_Models_Listed_Downloads30d",
                table: "Models",
                columns: new[] { "Listed", "Downloads30d", "Id", "Country", "OriginCountry", "InCensus", "CreatedAt", "Parameters" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Models_Listed_Downloads30d",
                table: "Models");

            migrationBuilder.CreateIndex(
                name: "IX_Models_Listed_Downloads30d",
                table: "Models",
                columns: new[] { "Listed", "Downloads30d" });
        }
    }
}
