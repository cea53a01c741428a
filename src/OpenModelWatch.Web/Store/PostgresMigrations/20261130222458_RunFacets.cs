using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenModelWatch.Web.Store.PostgresMigrations
{
    /// <inheritdoc />
    public partial class RunFacets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "runfacets",
                columns: table => new
                {
                    runid = table.Column<int>(type: "integer", nullable: false),
                    scope = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false, collation: "C"),
                    facet = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false, collation: "C"),
                    value = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    models = table.Column<int>(type: "integer", nullable: false),
                    downloads30d = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_runfacets", x => new { x.runid, x.scope, x.facet, x.value });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "runfacets");
        }
    }
}
