using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Tessera.Catalog.Remote;

namespace Tessera.Catalog.Downloads;

/// <summary>
/// Downloads one remote file to its final place, resumably: bytes go to <c>NAME.part</c> beside it, a broken download
/// continues with an HTTP Range request from where the part ends (started over when the server does not answer with
/// the range), the size and checksum are checked, and the file appears under its name only when complete. Two
/// downloads of the same file (two tasks, two workers on this machine) take turns: the second finds it done.
/// </summary>
public sealed class AssetDownloader(HttpClient http)
{
    /// <summary>Bytes so far, and in all when known.</summary>
    public readonly record struct Progress(long Done, long? Total);

    /// <summary>
    /// Makes sure <paramref name="destination"/> holds the file at <paramref name="url"/>; its size.
    /// <see cref="RemoteAccessException"/> naming the URL and the server's answer when it cannot.
    /// </summary>
    /// <param name="expectedSize">The size the catalog knows (checked), or null.</param>
    /// <param name="checksum">STAC's <c>file:checksum</c> (a multihash in hex: 1220 + SHA-256), checked when given.</param>
    public async Task<long> DownloadAsync(Uri url, string destination, long? expectedSize, string? checksum, IProgress<Progress>? progress,
        CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        await using var turn = await TakeTurnAsync(destination + ".lock", cancellationToken);
        if (File.Exists(destination) && (expectedSize is null || new FileInfo(destination).Length == expectedSize))
        {
            return new FileInfo(destination).Length;
        }
        var part = destination + ".part";
        var have = File.Exists(part) ? new FileInfo(part).Length : 0;
        if (expectedSize is { } size && have > size)
        {
            File.Delete(part);
            have = 0;
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (have > 0)
        {
            request.Headers.Range = new RangeHeaderValue(have, null);
        }
        using (var response = await RemoteHttp.SendAsync(http, request, cancellationToken))
        {
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && have > 0)
            {
                // The part is already whole (or longer than the file): check it as it is.
            }
            else if (response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.Conflict or HttpStatusCode.ServiceUnavailable
                     or HttpStatusCode.TooManyRequests)
            {
                throw new NotAvailableYetException($"{url}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}: not available yet",
                    response.Headers.RetryAfter?.Delta ?? (response.Headers.RetryAfter?.Date - DateTimeOffset.UtcNow));
            }
            else if (!response.IsSuccessStatusCode)
            {
                throw new RemoteAccessException($"{url}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }
            else
            {
                var resumed = response.StatusCode == HttpStatusCode.PartialContent && response.Content.Headers.ContentRange?.From == have;
                if (!resumed)
                {
                    have = 0; // the server sent the whole file: start over
                }
                long? total = response.Content.Headers.ContentRange?.Length ?? (response.Content.Headers.ContentLength is { } sent ? have + sent : expectedSize);
                if (expectedSize is { } wanted && total is { } told && told != wanted)
                {
                    throw new RemoteAccessException($"{url}: the server has {told} bytes where the catalog says {wanted}");
                }
                await using var source = await response.Content.ReadAsStreamAsync(cancellationToken);
                // Written as it arrives, a piece at a time, without a second buffer.
                await using var target = new FileStream(part, resumed ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 0);
                var buffer = new byte[1 << 20];
                var reported = DateTime.UtcNow;
                try
                {
                    // Blocking reads and writes on one thread of its own: no hop between threads for every piece that
                    // arrives (half the time of a loopback download went to those hops). Cancelling closes the stream.
                    await using var stop = cancellationToken.Register(source.Dispose);
                    await Task.Factory.StartNew(() =>
                    {
                        int read;
                        while ((read = source.Read(buffer)) > 0)
                        {
                            target.Write(buffer, 0, read);
                            have += read;
                            if (DateTime.UtcNow - reported > TimeSpan.FromMilliseconds(250))
                            {
                                progress?.Report(new Progress(have, total));
                                reported = DateTime.UtcNow;
                            }
                        }
                    }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
                }
                catch (Exception e) when (cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
                {
                    throw new OperationCanceledException("the download was cancelled", e, cancellationToken);
                }
                catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
                {
                    // What arrived stays in the part: the next attempt continues from there.
                    throw new DownloadBrokenException($"{url}: the connection broke after {have} bytes ({e.Message}); the download continues from there next time");
                }
                if (total is { } whole && have != whole)
                {
                    throw new DownloadBrokenException($"{url}: {have} bytes arrived of {whole}; the download continues from there next time");
                }
            }
        }
        var length = new FileInfo(part).Length;
        if (expectedSize is { } expected && length != expected)
        {
            File.Delete(part);
            throw new RemoteAccessException($"{url}: {length} bytes downloaded where the catalog says {expected}");
        }
        if (checksum is not null)
        {
            await VerifyAsync(url, part, checksum, cancellationToken);
        }
        File.Move(part, destination, overwrite: true);
        progress?.Report(new Progress(length, length));
        return length;
    }

    /// <summary>Checks a multihash in hex (1220 + SHA-256); another hash function is not checked.</summary>
    private static async Task VerifyAsync(Uri url, string part, string checksum, CancellationToken cancellationToken)
    {
        if (!checksum.StartsWith(Stac.FileChecksum.Sha256Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        await using var stream = File.OpenRead(part);
        var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
        if (!string.Equals(actual, checksum[4..], StringComparison.OrdinalIgnoreCase))
        {
            File.Delete(part);
            throw new RemoteAccessException($"{url}: the file's SHA-256 is {actual}, not the {checksum[4..]} the catalog says");
        }
    }

    /// <summary>An exclusive hold on a lock file beside the destination, waited for while another download holds it.</summary>
    private static async Task<IAsyncDisposable> TakeTurnAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException)
            {
                await Task.Delay(200, cancellationToken);
            }
        }
    }
}

/// <summary>A provider answered that the file is not available yet (HTTP 202, 409, 429 or 503): try again later, not a failure.</summary>
public sealed class NotAvailableYetException(string message, TimeSpan? retryAfter) : RemoteAccessException(message)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>A download stopped midway (the connection broke, the body ended early): what arrived is kept to continue from.</summary>
public sealed class DownloadBrokenException(string message) : RemoteAccessException(message);
