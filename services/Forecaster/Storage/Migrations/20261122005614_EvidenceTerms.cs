using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Monitoring.Forecaster.Storage.Migrations
{
    /// <inheritdoc />
    public partial class EvidenceTerms : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "bucket_terms",
                columns: table => new
                {
                    marker = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    region = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    granularity = table.Column<short>(type: "smallint", nullable: false),
                    start = table.Column<long>(type: "bigint", nullable: false),
                    term = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    count = table.Column<long>(type: "bigint", nullable: false),
                    authors = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_bucket_terms", x => new { x.marker, x.region, x.granularity, x.start, x.term });
                });

            migrationBuilder.CreateTable(
                name: "term_authors",
                columns: table => new
                {
                    marker = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    region = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    granularity = table.Column<short>(type: "smallint", nullable: false),
                    start = table.Column<long>(type: "bigint", nullable: false),
                    term = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    author_key = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_term_authors", x => new { x.marker, x.region, x.granularity, x.start, x.term, x.author_key });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "bucket_terms");

            migrationBuilder.DropTable(
                name: "term_authors");
        }
    }
}
