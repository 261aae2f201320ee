using System.Diagnostics;
using System.IO.Compression;
using Monitoring.Collector.Intake;
using Monitoring.Collector.Storage;

namespace Monitoring.Collector.Import;

public sealed record ImportProgress(long Records, long Accepted, long Duplicates, long Rejected, long BytesRead, long TotalBytes, TimeSpan Elapsed);

public sealed record ImportReport(
    string Path, long Records, long Skipped, long Accepted, long Duplicates, long Rejected,
    IReadOnlyDictionary<string, long> RejectedByReason, TimeSpan Elapsed, bool AlreadyComplete,
    long Dropped = 0, IReadOnlyDictionary<string, long>? DroppedByReason = null);

/// <summary>
/// Streams a file of any size (plain, .gz or .zst) through <see cref="PostIntake"/> in chunks, checkpointing the
/// number of records consumed in the same transaction that queues each chunk, so an interrupted import resumes
/// where it stopped and neither loses nor repeats a post.
/// </summary>
public sealed class FileImporter(PostIntake intake, IntakeStore store)
{
    public const int ChunkSize = 1_000;

    public async Task<ImportReport> ImportAsync(
        string path, ImportFormat format, bool restart, IProgress<ImportProgress>? progress, TextWriter? rejects, CancellationToken ct)
    {
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw new FileNotFoundException($"No such file: {path}", path);
        }
        var fileKey = $"file:{file.FullName}|{file.Length}|{format.ToString().ToLowerInvariant()}";
        var done = restart ? 0 : long.Parse((await store.CursorAsync(fileKey, ct))?.Position ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        var stopwatch = Stopwatch.StartNew();
        var byReason = new Dictionary<string, long>();
        var droppedByReason = new Dictionary<string, long>();
        long records = 0, accepted = 0, duplicates = 0, rejected = 0, dropped = 0;

        await using var raw = new CountingStream(File.OpenRead(file.FullName));
        await using var stream = Decompress(raw, file.Name);
        var chunk = new List<IncomingPost>(ChunkSize);

        async Task FlushAsync()
        {
            if (chunk.Count == 0) return;
            var summary = await intake.TakeAsync(chunk, "import", cursor: (fileKey, records.ToString(System.Globalization.CultureInfo.InvariantCulture)), ct: ct);
            accepted += summary.Accepted;
            duplicates += summary.Duplicates;
            rejected += summary.Rejected;
            foreach (var r in summary.Results.Where(r => r.Status == PostResult.DroppedStatus))
            {
                dropped++;
                droppedByReason[r.Reason!] = droppedByReason.GetValueOrDefault(r.Reason!) + 1;
            }
            foreach (var r in summary.Results.Where(r => r.Status == PostResult.RejectedStatus))
            {
                byReason[r.Reason!] = byReason.GetValueOrDefault(r.Reason!) + 1;
                // Record number and reason only: never the post's text or author.
                rejects?.WriteLine($"{{\"record\":{records - chunk.Count + r.Index + 1},\"reason\":\"{r.Reason}\",\"detail\":{System.Text.Json.JsonSerializer.Serialize(r.Detail)}}}");
            }
            chunk.Clear();
            progress?.Report(new ImportProgress(records, accepted, duplicates, rejected, raw.BytesRead, file.Length, stopwatch.Elapsed));
        }

        foreach (var post in RecordReaders.Read(stream, format))
        {
            ct.ThrowIfCancellationRequested();
            records++;
            if (records <= done)
            {
                continue; // consumed by an earlier, interrupted run
            }
            chunk.Add(post);
            if (chunk.Count == ChunkSize)
            {
                await FlushAsync();
            }
        }
        await FlushAsync();
        await store.CompleteAsync(fileKey, records.ToString(System.Globalization.CultureInfo.InvariantCulture), ct);
        return new ImportReport(file.FullName, records, Math.Min(done, records), accepted, duplicates, rejected, byReason, stopwatch.Elapsed, done >= records && done > 0, dropped, droppedByReason);
    }

    private static Stream Decompress(Stream raw, string name)
    {
        Span<byte> magic = stackalloc byte[4];
        var buffered = new BufferedStream(raw, 1 << 20);
        var n = buffered.Read(magic);
        buffered.Seek(-n, SeekOrigin.Current);
        if (n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b || name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            return new GZipStream(buffered, CompressionMode.Decompress);
        }
        if (n == 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd || name.EndsWith(".zst", StringComparison.OrdinalIgnoreCase))
        {
            return new ZstdDecompressStream(buffered);
        }
        return buffered;
    }

    /// <summary>Counts the compressed bytes read, for the progress bar.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }
        public override int Read(byte[] buffer, int offset, int count) { var n = inner.Read(buffer, offset, count); BytesRead += n; return n; }
        public override int Read(Span<byte> buffer) { var n = inner.Read(buffer); BytesRead += n; return n; }
        public override bool CanRead => true;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) { var p = inner.Seek(offset, origin); return p; }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        protected override void Dispose(bool disposing) { if (disposing) inner.Dispose(); base.Dispose(disposing); }
    }
}
