namespace Tessera.Raster.Blocks;

/// <summary>
/// A queue between the engine's threads that blocks without spinning: a thread with nothing to take (a computing thread
/// waiting for a free buffer, the writing thread waiting for a block) sleeps until it is woken, instead of spinning on the
/// core that the thread it waits for needs (BlockingCollection spins first, and on two cores that spin competed with the
/// writer). Optionally bounded; completed once nothing more will be added; a cancelled token wakes every waiter.
/// </summary>
internal sealed class HandOff<T> : IDisposable
{
    private readonly Queue<T> _items = new();
    private readonly int _capacity;
    private readonly CancellationTokenRegistration _registration;
    private readonly CancellationToken _cancellation;
    private bool _completed;

    /// <param name="capacity">The most items held (0: no bound).</param>
    public HandOff(int capacity, CancellationToken cancellation)
    {
        _capacity = capacity;
        _cancellation = cancellation;
        _registration = cancellation.Register(WakeAll);
    }

    /// <summary>Adds an item, waiting for room when bounded (cancellation throws only while waiting: the writer gives
    /// its buffers back whatever happens).</summary>
    public void Add(T item)
    {
        lock (_items)
        {
            while (_capacity > 0 && _items.Count >= _capacity)
            {
                _cancellation.ThrowIfCancellationRequested();
                Monitor.Wait(_items);
            }
            if (_completed)
            {
                throw new InvalidOperationException("the hand-off is complete: nothing more can be added");
            }
            _items.Enqueue(item);
            Monitor.PulseAll(_items);
        }
    }

    /// <summary>The next item; false once the hand-off is complete and empty. Cancellation does not stop it: the
    /// consumer drains what the producers still add until they complete it.</summary>
    public bool TryTake(out T item) => TryTake(out item, observeCancellation: false);

    /// <summary>The next item, waiting for one; cancellation throws.</summary>
    public T Take() => TryTake(out var item, observeCancellation: true) ? item
        : throw new InvalidOperationException("the hand-off is complete and empty");

    private bool TryTake(out T item, bool observeCancellation)
    {
        lock (_items)
        {
            while (_items.Count == 0)
            {
                if (observeCancellation)
                {
                    _cancellation.ThrowIfCancellationRequested();
                }
                if (_completed)
                {
                    item = default!;
                    return false;
                }
                Monitor.Wait(_items);
            }
            item = _items.Dequeue();
            Monitor.PulseAll(_items);
            return true;
        }
    }

    /// <summary>Nothing more will be added: takers get what is left, then false.</summary>
    public void CompleteAdding()
    {
        lock (_items)
        {
            _completed = true;
            Monitor.PulseAll(_items);
        }
    }

    private void WakeAll()
    {
        lock (_items)
        {
            Monitor.PulseAll(_items);
        }
    }

    public void Dispose() => _registration.Dispose();
}
