namespace Tessera.Server.Tiles;

/// <summary>
/// Rendered tiles by key, least recently used first out, capped in bytes (the images' sizes; an empty
/// tile outside the data is cached as an empty array). Thread-safe.
/// </summary>
public sealed class TileCache(long capacityBytes)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<(string Key, byte[] Bytes)>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, byte[] Bytes)> _order = new();
    private long _bytes;

    public long CapacityBytes => capacityBytes;

    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public bool TryGet(string key, out byte[] bytes)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                bytes = node.Value.Bytes;
                return true;
            }
        }
        bytes = [];
        return false;
    }

    public void Add(string key, byte[] bytes)
    {
        if (bytes.Length > capacityBytes)
        {
            return;
        }
        lock (_gate)
        {
            if (_entries.Remove(key, out var old))
            {
                _order.Remove(old);
                _bytes -= old.Value.Bytes.Length;
            }
            _entries[key] = _order.AddFirst((key, bytes));
            _bytes += bytes.Length;
            while (_bytes > capacityBytes && _order.Last is { } last)
            {
                _order.RemoveLast();
                _entries.Remove(last.Value.Key);
                _bytes -= last.Value.Bytes.Length;
            }
        }
    }
}
