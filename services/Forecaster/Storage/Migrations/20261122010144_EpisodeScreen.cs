using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Monitoring.Forecaster.Storage.Migrations
{
    /// <inheritdoc />
    public partial class EpisodeScreen : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "author_symptoms",
                columns: table => new
                {
                    author_key = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    symptom = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    last_seen = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_author_symptoms", x => new { x.author_key, x.symptom });
                });

            migrationBuilder.CreateTable(
                name: "screen_authors",
                columns: table => new
                {
                    region = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    granularity = table.Column<short>(type: "smallint", nullable: false),
                    topic = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    start = table.Column<long>(type: "bigint", nullable: false),
                    author_key = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_screen_authors", x => new { x.region, x.granularity, x.topic, x.start, x.author_key });
                });

            migrationBuilder.CreateIndex(
                name: "ix_author_symptoms_last_seen",
                table: "author_symptoms",
                column: "last_seen");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "author_symptoms");

            migrationBuilder.DropTable(
                name: "screen_authors");
        }
    }
}
