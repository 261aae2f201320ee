using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Monitoring.Dashboard.Storage.Migrations
{
    /// <inheritdoc />
    public partial class SeriesCellsKnownAtIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_series_cells_KnownAt",
                table: "series_cells",
                column: "KnownAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_series_cells_KnownAt",
                table: "series_cells");
        }
    }
}
