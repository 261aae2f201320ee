using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Monitoring.Dashboard.Storage.Migrations
{
    /// <inheritdoc />
    public partial class AlertActionsAndMarkerModels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AcknowledgeNote",
                table: "alerts",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "AcknowledgedAt",
                table: "alerts",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AcknowledgedBy",
                table: "alerts",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "AcknowledgedByKeyId",
                table: "alerts",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ResolutionNote",
                table: "alerts",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ResolvedBy",
                table: "alerts",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ResolvedByKeyId",
                table: "alerts",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "Stamp",
                table: "alerts",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.CreateTable(
                name: "marker_models",
                columns: table => new
                {
                    Marker = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ModelVersion = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    TrainedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AnnouncedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_marker_models", x => x.Marker);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "marker_models");

            migrationBuilder.DropColumn(
                name: "AcknowledgeNote",
                table: "alerts");

            migrationBuilder.DropColumn(
                name: "AcknowledgedAt",
                table: "alerts");

            migrationBuilder.DropColumn(
                name: "AcknowledgedBy",
                table: "alerts");

            migrationBuilder.DropColumn(
                name: "AcknowledgedByKeyId",
                table: "alerts");

            migrationBuilder.DropColumn(
                name: "ResolutionNote",
                table: "alerts");

            migrationBuilder.DropColumn(
                name: "ResolvedBy",
                table: "alerts");

            migrationBuilder.DropColumn(
                name: "ResolvedByKeyId",
                table: "alerts");

            migrationBuilder.DropColumn(
                name: "Stamp",
                table: "alerts");
        }
    }
}
