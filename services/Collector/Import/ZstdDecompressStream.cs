using System.Runtime.InteropServices;

namespace Monitoring.Collector.Import;

/// <summary>
/// Streaming zstd decompression through the system's libzstd (Debian's libzstd1; no managed zstd package is in our
/// registry). The window limit is raised to 2^31 because Pushshift compresses its dumps with <c>--long=31</c>.
/// </summary>
public sealed partial class ZstdDecompressStream : Stream
{
    private const string Library = "libzstd.so.1";
    private const int WindowLogMax = 100; // ZSTD_d_windowLogMax

    private readonly Stream _inner;
    private readonly byte[] _input = new byte[128 * 1024];
    private nint _context;
    private int _inputPos;
    private int _inputSize;
    private bool _innerDone;

    public ZstdDecompressStream(Stream inner)
    {
        _inner = inner;
        try
        {
            _context = ZSTD_createDCtx();
        }
        catch (DllNotFoundException e)
        {
            throw new InvalidOperationException("Reading .zst files needs libzstd (Debian: apt-get install libzstd1).", e);
        }
        Check(ZSTD_DCtx_setParameter(_context, WindowLogMax, 31));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override unsafe int Read(Span<byte> destination)
    {
        if (destination.Length == 0) return 0;
        while (true)
        {
            if (_inputPos == _inputSize && !_innerDone)
            {
                _inputSize = _inner.Read(_input, 0, _input.Length);
                _inputPos = 0;
                _innerDone = _inputSize == 0;
            }
            fixed (byte* src = _input)
            fixed (byte* dst = destination)
            {
                var output = new Buffer { Data = dst, Size = (nuint)destination.Length, Pos = 0 };
                var input = new Buffer { Data = src, Size = (nuint)_inputSize, Pos = (nuint)_inputPos };
                Check(ZSTD_decompressStream(_context, ref output, ref input));
                _inputPos = (int)input.Pos;
                if (output.Pos > 0) return (int)output.Pos;
            }
            if (_innerDone && _inputPos == _inputSize) return 0;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (_context != 0)
        {
            ZSTD_freeDCtx(_context);
            _context = 0;
        }
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }

    private static void Check(nuint code)
    {
        if (ZSTD_isError(code) != 0)
        {
            throw new InvalidDataException($"zstd: {Marshal.PtrToStringAnsi(ZSTD_getErrorName(code))}");
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct Buffer
    {
        public byte* Data;
        public nuint Size;
        public nuint Pos;
    }

    [LibraryImport(Library)] private static partial nint ZSTD_createDCtx();
    [LibraryImport(Library)] private static partial nuint ZSTD_freeDCtx(nint dctx);
    [LibraryImport(Library)] private static partial nuint ZSTD_DCtx_setParameter(nint dctx, int param, int value);
    [LibraryImport(Library)] private static partial nuint ZSTD_decompressStream(nint dctx, ref Buffer output, ref Buffer input);
    [LibraryImport(Library)] private static partial uint ZSTD_isError(nuint code);
    [LibraryImport(Library)] private static partial nint ZSTD_getErrorName(nuint code);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
