using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using OpenModelWatch.Web.Security;

namespace OpenModelWatch.Tests.TestSupport;

/// <summary>The administrator's secrets for tests, their hashes as <c>hash-secret</c> makes them, and helpers to use them.</summary>
public static partial class Admin
{
    public const string Password = "correct horse battery staple";
    public const string ApiKey = "omw-test-key-4c2f8e1d9b7a";

    public static readonly string PasswordHash = SecretHash.Hash(Password);
    public static readonly string ApiKeyHash = SecretHash.Hash(ApiKey);

    /// <summary>Both hashes configured, plus <paramref name="more"/>.</summary>
    public static Dictionary<string, string?> Settings(params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?> { ["Admin:PasswordHash"] = PasswordHash, ["Admin:ApiKeyHash"] = ApiKeyHash };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    public static Task<HttpResponseMessage> StartRunAsync(this HttpClient client, string? key = ApiKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/runs");
        if (key is not null)
        {
            request.Headers.Add(ApiKeyHandler.HeaderName, key);
        }

        return client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Logs in through the real form (antiforgery token included); returns the answer to the POST.</summary>
    public static async Task<HttpResponseMessage> LogInAsync(this HttpClient client, string password, string returnUrl = "/ingestion")
    {
        var form = await client.GetStringAsync("/login", TestContext.Current.CancellationToken);
        var token = AntiforgeryField().Match(form).Groups[1].Value;
        Assert.NotEmpty(token);
        return await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["password"] = password,
            ["returnUrl"] = returnUrl,
        }), TestContext.Current.CancellationToken);
    }

    /// <summary>Every line of every log file in <paramref name="folder"/> (read while the app may still write).</summary>
    public static string ReadLogs(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return "";
        }

        var text = new System.Text.StringBuilder();
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            text.Append(reader.ReadToEnd());
        }

        return text.ToString();
    }

    /// <summary>Waits until <paramref name="condition"/> holds, failing after <paramref name="limit"/>.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan limit, string what)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    public static MediaTypeHeaderValue? ContentType(this HttpResponseMessage response) => response.Content.Headers.ContentType;

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
