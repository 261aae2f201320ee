using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Monitoring.Forecaster.Storage.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "alert_incidents",
                columns: table => new
                {
                    AlertId = table.Column<Guid>(type: "uuid", nullable: false),
                    Marker = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Region = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Granularity = table.Column<short>(type: "smallint", nullable: false),
                    Topic = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Kind = table.Column<short>(type: "smallint", nullable: false),
                    Severity = table.Column<short>(type: "smallint", nullable: false),
                    Revision = table.Column<int>(type: "integer", nullable: false),
                    OpenedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    BucketStart = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Observed = table.Column<double>(type: "double precision", nullable: false),
                    Expected = table.Column<double>(type: "double precision", nullable: false),
                    Threshold = table.Column<double>(type: "double precision", nullable: false),
                    Method = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PValue = table.Column<double>(type: "double precision", nullable: false),
                    RisingTerms = table.Column<string>(type: "text", nullable: false),
                    ResolvedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ResolveReason = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_alert_incidents", x => x.AlertId);
                });

            migrationBuilder.CreateTable(
                name: "bucket_authors",
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
                    table.PrimaryKey("PK_bucket_authors", x => new { x.region, x.granularity, x.topic, x.start, x.author_key });
                });

            migrationBuilder.CreateTable(
                name: "bucket_cells",
                columns: table => new
                {
                    region = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    granularity = table.Column<short>(type: "smallint", nullable: false),
                    topic = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    start = table.Column<long>(type: "bigint", nullable: false),
                    authors = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_bucket_cells", x => new { x.region, x.granularity, x.topic, x.start });
                });

            migrationBuilder.CreateTable(
                name: "forecaster_outbox",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    MessageType = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Payload = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_forecaster_outbox", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "marker_rates",
                columns: table => new
                {
                    marker = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    model_version = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    threshold = table.Column<double>(type: "double precision", nullable: false),
                    tpr = table.Column<double>(type: "double precision", nullable: false),
                    fpr = table.Column<double>(type: "double precision", nullable: false),
                    updated_at = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_marker_rates", x => x.marker);
                });

            migrationBuilder.CreateTable(
                name: "processed_batches",
                columns: table => new
                {
                    batch_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    processed_at = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_processed_batches", x => x.batch_id);
                });

            // series_buckets is range-partitioned by month on "start" (Unix seconds); EfSeriesStore creates the
            // monthly partitions (series_buckets_yYYYYmMM) on demand. EF's CreateTable cannot declare partitioning.
            migrationBuilder.Sql("""
                CREATE TABLE series_buckets (
                    marker character varying(100) NOT NULL,
                    region character varying(64) NOT NULL,
                    granularity smallint NOT NULL,
                    topic character varying(100) NOT NULL,
                    start bigint NOT NULL,
                    posts bigint NOT NULL,
                    expected_count double precision NOT NULL,
                    flagged_count bigint NOT NULL,
                    updated_at bigint NOT NULL,
                    CONSTRAINT "PK_series_buckets" PRIMARY KEY (marker, region, granularity, topic, start)
                ) PARTITION BY RANGE (start);
                """);

            migrationBuilder.CreateIndex(
                name: "ux_alert_incidents_open",
                table: "alert_incidents",
                columns: new[] { "Marker", "Region", "Granularity", "Topic", "Kind" },
                unique: true,
                filter: "\"ResolvedAt\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "alert_incidents");

            migrationBuilder.DropTable(
                name: "bucket_authors");

            migrationBuilder.DropTable(
                name: "bucket_cells");

            migrationBuilder.DropTable(
                name: "forecaster_outbox");

            migrationBuilder.DropTable(
                name: "marker_rates");

            migrationBuilder.DropTable(
                name: "processed_batches");

            migrationBuilder.DropTable(
                name: "series_buckets");
        }
    }
}
