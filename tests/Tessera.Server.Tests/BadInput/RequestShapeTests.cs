using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using System.Text;
using Tessera.Host;
using Tessera.Raster;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.Server.Tests.Api;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.BadInput;

/// <summary>
/// Requests of the wrong size or shape: bodies over a route's limit (declared or streamed), JSON of the wrong
/// types, too deep, cut short or of another media type, query values that are no numbers or out of range, absurd
/// tile coordinates, and roles that look like paths. Each is answered in the documented error shape, naming the
/// field or the limit, and nothing is stored; roles never become paths.
/// </summary>
public sealed class RequestShapeTests : IAsyncLifetime
{
    private RunningServer? _server;
    private HttpClient? _client;

    private HttpClient Http => _client!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync((data, url) => new ServerOptions(new ServiceOptions(data, Workers: 1, PollInterval: TimeSpan.FromMilliseconds(200)), url),
            ("alice", "alice", Role.Write));
        _client = _server.Client("alice");
    }

    public async Task DisposeAsync() => await _server!.DisposeAsync();

    private async Task<(int Status, string Detail)> Send(HttpRequestMessage request)
    {
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(body.TrimStart().StartsWith('{'), $"{(int)response.StatusCode} without a problem body: '{body}'");
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)response.StatusCode, problem.GetProperty("code").GetInt32());
        Assert.Equal(JsonValueKind.Null, problem.GetProperty("data").ValueKind);
        return ((int)response.StatusCode, problem.GetProperty("detail").GetString()!);
    }

    private static HttpRequestMessage Json(string path, string json, string type = "application/json") =>
        new(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, type) };

    /// <summary>
    /// Streams <paramref name="bytes"/> of a JSON body in chunks (no declared length) over a plain socket while
    /// reading the answer: the server answers as soon as the limit is passed and stops reading, which an HTTP client
    /// that first sends its whole body would only see as a broken connection.
    /// </summary>
    private async Task<(int Status, string Detail)> StreamAsync(string path, long bytes)
    {
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(_server!.Address.Host, _server.Address.Port);
        var stream = socket.GetStream();
        var token = Http.DefaultRequestHeaders.Authorization!.Parameter;
        var head = $"POST {path} HTTP/1.1\r\nHost: {_server.Address.Authority}\r\nAuthorization: Bearer {token}\r\n" +
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
        var reading = Task.Run(async () =>
        {
            // Kept as it arrives: the server may reset the connection right after its answer (it stops reading the body).
            var answer = new StringBuilder();
            var buffer = new byte[8192];
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer)) > 0)
                {
                    answer.Append(Encoding.UTF8.GetString(buffer, 0, read));
                }
            }
            catch (IOException)
            {
            }
            return answer.ToString();
        });
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            var chunk = Encoding.ASCII.GetBytes($"{1 << 16:x}\r\n" + new string('a', 1 << 16) + "\r\n");
            const string start = "{\"name\":\"x\",\"params\":\"";
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"{start.Length:x}\r\n{start}\r\n"));
            for (long sent = 0; sent < bytes && !reading.IsCompleted; sent += 1 << 16)
            {
                await stream.WriteAsync(chunk);
            }
        }
        catch (IOException)
        {
            // the server stopped reading: its answer is what counts
        }
        var answer = await reading.WaitAsync(TimeSpan.FromSeconds(30));
        var status = int.Parse(answer.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        var body = answer[(answer.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        var json = body[body.IndexOf('{')..(body.LastIndexOf('}') + 1)];
        return (status, JsonDocument.Parse(json).RootElement.GetProperty("detail").GetString()!);
    }

    [Fact]
    public async Task BodiesOverTheRoutesLimit_Are413_NamingTheRouteAndTheLimit()
    {
        var big = "{\"name\":\"x\",\"type\":7,\"params\":{\"note\":\"" + new string('a', 17 << 20) + "\"}}";
        // A client that asks first (Expect: 100-continue) is told before it sends the body.
        var declared = Json("/processtask/addTask", big);
        declared.Headers.ExpectContinue = true;
        Assert.Equal((413, "the request body is larger than the 16 MiB that POST /processtask/addTask accepts"), await Send(declared));
        Assert.Equal((413, "the request body is larger than the 16 MiB that POST /processtask/addTask accepts"),
            await StreamAsync("/processtask/addTask", 17 << 20));
        Assert.Equal((413, "the request body is larger than the 64 KiB that POST /processtask/query/page accepts"),
            await Send(Json("/processtask/query/page", "{\"name\":\"" + new string('a', 100_000) + "\"}")));
        Assert.Equal(0, (await ApiCalls.Data(await Http.PostAsJsonAsync("/processtask/query/page", new { pageNum = 1 }))).GetProperty("total").GetInt64());
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task AnUploadOverTheStoresLimit_Is413NamingTheRoute_OrA400WhenOnlyTheFileIsOver()
    {
        await using var small = await RunningServer.StartAsync((data, url) => new ServerOptions(new ServiceOptions(data, Workers: 0, MaxUploadBytes: 1 << 20), url),
            ("alice", "alice", Role.Write));
        var http = small.Client("alice");
        var request = new HttpRequestMessage(HttpMethod.Post, "/files")
        {
            Content = new MultipartFormDataContent { { new ByteArrayContent(new byte[3 << 20]), "file", "big.tif" } },
        };
        request.Headers.ExpectContinue = true;
        using (var response = await http.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Equal("the request body is larger than the 2 MiB that POST /files accepts",
                JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
        }
        using var form = new MultipartFormDataContent { { new ByteArrayContent(new byte[(1 << 20) + 10]), "file", "big.tif" } };
        using var over = await http.PostAsync("/files", form);
        Assert.Equal(HttpStatusCode.BadRequest, over.StatusCode);
        Assert.Equal("the upload is larger than the limit of 1048576 bytes",
            JsonDocument.Parse(await over.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
        Assert.Empty(Directory.GetFiles(Path.Combine(small.Data.Path, "incoming")));
    }

    [Fact]
    public async Task MalformedJson_IsA400NamingTheField_OrA415ForAnotherMediaType()
    {
        Assert.Equal((400, "name: expected a text"), await Send(Json("/processtask/addTask", """{"name": 5, "type": 7}""")));
        Assert.Equal((400, "type: expected a whole number"), await Send(Json("/processtask/addTask", """{"name": "x", "type": "seven"}""")));
        Assert.Equal((400, "pageSize: expected a whole number"), await Send(Json("/processtask/query/page", """{"pageNum": 1, "pageSize": 1.5}""")));
        Assert.Equal((400, "taskIds[1]: expected a whole number"), await Send(Json("/processtask/restart", """{"taskIds": [1, "two"]}""")));
        var (status, detail) = await Send(Json("/processtask/addTask", """{"name": "x", "type": 7, "inp"""));
        Assert.Equal(400, status);
        Assert.StartsWith("the body is not valid JSON (line 1, byte ", detail);
        var deep = "{\"name\":\"x\",\"type\":7,\"params\":" + string.Concat(Enumerable.Repeat("[", 5000)) + string.Concat(Enumerable.Repeat("]", 5000)) + "}";
        (status, detail) = await Send(Json("/processtask/addTask", deep));
        Assert.Equal(400, status);
        Assert.Contains("maximum configured depth of 64", detail);
        Assert.Equal((415, "send the body as application/json (it was 'text/plain; charset=utf-8')"),
            await Send(Json("/processtask/addTask", """{"name": "x", "type": 7}""", "text/plain")));
        Assert.Equal((400, "the request needs a JSON body"), await Send(Json("/processtask/addTask", "")));
        Assert.Equal(0, (await ApiCalls.Data(await Http.PostAsJsonAsync("/processtask/query/page", new { pageNum = 1 }))).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task QueryValuesOutOfRange_AreA400NamingTheParameter()
    {
        Assert.Equal((400, "limit: -1 is not between 1 and 1000"), await Send(new(HttpMethod.Get, "/files?limit=-1")));
        Assert.Equal((400, "offset: -5 is not 0 or more"), await Send(new(HttpMethod.Get, "/files?offset=-5")));
        Assert.Equal((400, "limit: 'abc' is not a whole number"), await Send(new(HttpMethod.Get, "/files?limit=abc")));
        Assert.Equal((400, "id: 'x' is not a whole number"), await Send(new(HttpMethod.Get, "/processtask/query/task/detail?id=x")));
        Assert.Equal((400, "pageNum: page 2147483647 of 500 is beyond any list"),
            await Send(Json("/processtask/query/page", """{"pageNum": 2147483647, "pageSize": 500}""")));
        Assert.Equal((404, "task 99999999999 does not exist"), await Send(new(HttpMethod.Get, "/processtask/query/task/detail?id=99999999999")));
        Assert.Equal((404, "there is no GET /processtask/nothing in this API"), await Send(new(HttpMethod.Get, "/processtask/nothing")));
    }

    [Fact]
    public async Task AbsurdTileCoordinates_AreA400NamingTheCoordinate()
    {
        var id = await Http.UploadAsync(SyntheticRaster.Write<byte>(_server!.Data.File("t.src"), SyntheticRaster.Grid(16, 16), (c, r) => 3), "t.tif");
        Assert.Equal((400, "z: '99999999999' is not a zoom level"), await Send(new(HttpMethod.Get, $"/tiles/{id}/99999999999/0/0.png")));
        Assert.Equal((400, "x: '1e9' is not a tile column"), await Send(new(HttpMethod.Get, $"/tiles/{id}/3/1e9/0.png")));
        Assert.Equal((400, "zoom 25 is outside 0..24"), await Send(new(HttpMethod.Get, $"/tiles/{id}/25/0/0.png")));
        Assert.Equal((400, "tile -1/0 does not exist at zoom 3 (0..7 each way)"), await Send(new(HttpMethod.Get, $"/tiles/{id}/3/-1/0.png")));
        Assert.Equal((400, "tile 0/2147483647 does not exist at zoom 3 (0..7 each way)"), await Send(new(HttpMethod.Get, $"/tiles/{id}/3/0/2147483647.png")));
        var (status, detail) = await Send(new(HttpMethod.Get, $"/tiles/{id}/3/0/99999999999.png"));
        Assert.Equal(400, status);
        Assert.StartsWith("'99999999999.png' is not a tile row with a format", detail);
        Assert.Equal((404, "file 9223372036854775807 does not exist"), await Send(new(HttpMethod.Get, "/tiles/9223372036854775807/0/0/0.png")));
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task RolesThatLookLikePaths_AreOnlyBandNames_AndNothingIsWrittenOutsideTheWorkFolder()
    {
        var a = await Http.UploadAsync(SyntheticRaster.Write<ushort>(_server!.Data.File("a.src"), SyntheticRaster.Grid(16, 16), (c, r) => (ushort)(c + 1)), "a.tif");
        var b = await Http.UploadAsync(SyntheticRaster.Write<ushort>(_server.Data.File("b.src"), SyntheticRaster.Grid(16, 16), (c, r) => (ushort)(r + 100)), "b.tif");
        var tokens = await File.ReadAllBytesAsync(Path.Combine(_server.Data.Path, "tokens.json"));
        string[] roles = ["../../../tokens", "/etc/passwd", "inputs/../0", "*?[]"];
        var detail = await Http.RunToEndAsync(new
        {
            name = "paths", type = 6,
            inputs = roles.Select((role, i) => new { role, fileId = i % 2 == 0 ? a : b, band = 1 }).ToArray(),
        });
        Assert.Equal(7, detail.GetProperty("status").GetInt32());
        var output = detail.GetProperty("result").GetProperty("outputFileId").GetInt64();
        var path = Path.Combine(_server.Data.Path, (await _server.Get<Tessera.Catalog.Files.FileStore>().GetAsync(output, null))!.RelativePath);
        using (var merged = RasterDataset.Open(path))
        {
            Assert.Equal(roles, merged.Bands.Select(band => band.Description));
            var values = new ushort[16 * 16];
            merged.Read<ushort>(1, new Window(0, 0, 16, 16), values);
            Assert.Equal(5, values[4]); // band 1 is file a: column + 1
            merged.Read<ushort>(2, new Window(0, 0, 16, 16), values);
            Assert.Equal(103, values[3 * 16]); // band 2 is file b: row + 100
        }
        Assert.Equal(tokens, await File.ReadAllBytesAsync(Path.Combine(_server.Data.Path, "tokens.json")));
        Assert.False(File.Exists(Path.Combine(_server.Data.Path, "tokens.tif")));
        Assert.Equal((400, "inputs.bad?role: a role is 1 to 100 printable characters"),
            await Send(Json("/processtask/addTask", $$"""{"name":"x","type":6,"inputs":[{"role":"bad\u0001role","fileId":{{a}}},{"role":"ok","fileId":{{b}}}]}""")));
        var (status, problem) = await Send(Json("/processtask/addTask", $$"""{"name":"x","type":6,"inputs":[{"role":"{{new string('r', 101)}}","fileId":{{a}}},{"role":"ok","fileId":{{b}}}]}"""));
        Assert.Equal(400, status);
        Assert.EndsWith(": a role is 1 to 100 printable characters", problem);
    }
}
