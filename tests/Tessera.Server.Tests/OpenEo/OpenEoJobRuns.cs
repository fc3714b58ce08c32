using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Tessera.Server.Tests.OpenEo;

/// <summary>Starting a batch job and waiting for it as a client does: POST its results, then its status until it ends.</summary>
internal static class OpenEoJobRuns
{
    /// <summary>Starts job <paramref name="id"/> and answers its status once it is no longer created, queued or running (2 minutes at most).</summary>
    public static async Task<string> RunToEndAsync(this HttpClient http, string id)
    {
        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsync($"/openeo/1.2/jobs/{id}/results", null)).StatusCode);
        var deadline = DateTime.UtcNow.AddSeconds(120);
        string status;
        do
        {
            await Task.Delay(300);
            status = (await http.GetFromJsonAsync<JsonObject>($"/openeo/1.2/jobs/{id}"))!["status"]!.GetValue<string>();
        }
        while (status is "created" or "queued" or "running" && DateTime.UtcNow < deadline);
        return status;
    }
}
