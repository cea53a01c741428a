using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenModelWatch.Web.Store.Migrations
{
    /// <inheritdoc />
    public partial class RunRenames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Renamed",
                table: "Runs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Renamed",
                table: "Runs");
        }
    }
}
