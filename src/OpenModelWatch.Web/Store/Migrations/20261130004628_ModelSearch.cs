using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenModelWatch.Web.Store.Migrations
{
    /// <inheritdoc />
    public partial class ModelSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Substring search over 3 million ids without reading them all: a trigram index of Models.HubId (external
            // content: the ids stay in Models; detail=none: row ids only, and SQLite re-checks each candidate).
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "ModelSearch" USING fts5("HubId", tokenize = 'trigram', content = 'Models', content_rowid = 'Id', detail = 'none');
                INSERT INTO "ModelSearch" ("ModelSearch") VALUES ('rebuild');
                CREATE TRIGGER "Models_Search_Insert" AFTER INSERT ON "Models" BEGIN
                    INSERT INTO "ModelSearch" (rowid, "HubId") VALUES (new."Id", new."HubId");
                END;
                CREATE TRIGGER "Models_Search_Delete" AFTER DELETE ON "Models" BEGIN
                    INSERT INTO "ModelSearch" ("ModelSearch", rowid, "HubId") VALUES ('delete', old."Id", old."HubId");
                END;
                CREATE TRIGGER "Models_Search_Update" AFTER UPDATE OF "HubId" ON "Models" BEGIN
                    INSERT INTO "ModelSearch" ("ModelSearch", rowid, "HubId") VALUES ('delete', old."Id", old."HubId");
                    INSERT INTO "ModelSearch" (rowid, "HubId") VALUES (new."Id", new."HubId");
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER "Models_Search_Update";
                DROP TRIGGER "Models_Search_Delete";
                DROP TRIGGER "Models_Search_Insert";
                DROP TABLE "ModelSearch";
                """);
        }
    }
}
