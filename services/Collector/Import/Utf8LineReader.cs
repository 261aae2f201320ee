namespace Monitoring.Collector.Import;

/// <summary>
/// Reads a byte stream line by line without decoding it, so that each line's UTF-8 can be checked on its own and a
/// bad line rejected alone. Memory stays bounded by the longest line (lines over <see cref="MaxLineBytes"/> are
/// reported as too long and skipped).
/// </summary>
public sealed class Utf8LineReader(Stream stream, int maxLineBytes = Utf8LineReader.MaxLineBytes)
{
    public const int MaxLineBytes = 4 * 1024 * 1024;

    private byte[] _buffer = new byte[256 * 1024];
    private int _start;
    private int _end;
    private bool _eof;

    /// <summary>The next line without its newline; <c>TooLong</c> when it exceeded the limit. False at the end.</summary>
    public bool TryReadLine(out ReadOnlyMemory<byte> line, out bool tooLong)
    {
        tooLong = false;
        var skipping = false;
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                var length = newline - _start;
                if (length > 0 && _buffer[newline - 1] == (byte)'\r') length--;
                tooLong = skipping || length > maxLineBytes;
                line = tooLong ? ReadOnlyMemory<byte>.Empty : new ReadOnlyMemory<byte>(_buffer, _start, length);
                _start = newline + 1;
                return true;
            }
            if (_eof)
            {
                if (_start < _end || skipping)
                {
                    tooLong = skipping || _end - _start > maxLineBytes;
                    line = tooLong ? ReadOnlyMemory<byte>.Empty : new ReadOnlyMemory<byte>(_buffer, _start, _end - _start);
                    _start = _end;
                    return true;
                }
                line = default;
                return false;
            }
            if (_end - _start >= maxLineBytes)
            {
                // Drop what we have of the overlong line and keep reading until its end.
                skipping = true;
                _start = _end = 0;
            }
            Fill();
        }
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, maxLineBytes + 1024));
        }
        var read = stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) _eof = true;
        _end += read;
    }
}
