using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Tessera.Server.Tests.Api;

/// <summary>What the API tests do over and over: read the envelope's data, upload a raster, run a task to its end.</summary>
internal static class ApiCalls
{
    /// <summary>The <c>data</c> of a successful answer (fails the test, with the body, on any other).</summary>
    public static async Task<JsonElement> Data(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("data").Clone();
    }

    /// <summary>Uploads a file under <paramref name="name"/>; its id (the one already stored, for the same bytes uploaded again).</summary>
    public static async Task<long> UploadAsync(this HttpClient http, string path, string name)
    {
        using var form = new MultipartFormDataContent { { new StreamContent(File.OpenRead(path)), "file", name } };
        var response = await http.PostAsync("/files", form);
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{(int)response.StatusCode}");
        return (await Data(response)).GetProperty("id").GetInt64();
    }

    /// <summary>Adds a task and polls its detail until it ends (published or failed); the last detail.</summary>
    public static async Task<JsonElement> RunToEndAsync(this HttpClient http, object task)
    {
        var id = (await Data(await http.PostAsJsonAsync("/processtask/addTask", task))).GetProperty("taskId").GetInt64();
        return await WaitToEndAsync(http, id);
    }

    /// <summary>The task's detail once it has ended (published or failed).</summary>
    public static async Task<JsonElement> WaitToEndAsync(this HttpClient http, long id)
    {
        for (var i = 0; i < 600; i++)
        {
            var detail = await Data(await http.GetAsync($"/processtask/query/task/detail?id={id}"));
            if (detail.GetProperty("status").GetInt32() is 7 or 4 or 8 or 9)
            {
                return detail;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"task {id} did not end");
    }
}
