using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Monitoring.Forecaster.Storage.Migrations
{
    /// <inheritdoc />
    public partial class FittedModels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "fitted_models",
                columns: table => new
                {
                    marker = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    region = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    granularity = table.Column<short>(type: "smallint", nullable: false),
                    topic = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    method = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    season = table.Column<int>(type: "integer", nullable: false),
                    parameters = table.Column<string>(type: "text", nullable: false),
                    points = table.Column<int>(type: "integer", nullable: false),
                    last_bucket = table.Column<long>(type: "bigint", nullable: false),
                    fitted_at = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_fitted_models", x => new { x.marker, x.region, x.granularity, x.topic });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "fitted_models");
        }
    }
}
