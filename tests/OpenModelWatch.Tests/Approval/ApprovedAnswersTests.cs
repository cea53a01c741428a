using System.Text;
using System.Text.RegularExpressions;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Approval;

/// <summary>
/// Approved answers: the app's answers to a fixed list of requests (<see cref="ApprovedRequests"/>), on a fixed store
/// (<see cref="ApprovalApp"/>), compared with files kept in <c>Approval/approved/</c>, so that a change that must not
/// change behaviour (moving files, renaming namespaces) can prove it. Each request is one test. Its answer is kept as
/// two files: <c>{name}.{ext}</c>, the body byte for byte, and <c>{name}.{ext}.head.txt</c>, the request, the status and the headers.
/// <para>
/// A mismatch writes <c>{name}.received.{ext}</c> (or <c>{name}.{ext}.head.received.txt</c>) beside the approved file and
/// fails naming both; a missing approved file is written from the answer and the test fails, so the first run
/// creates them (read them, then run again). To approve a change on purpose, replace the approved file by the received one.
/// </para>
/// <para>
/// Run on both stores (<see cref="OnSqlite"/>, <see cref="OnPostgres"/>) against the same approved files: the same runs
/// ingested into PostgreSQL must answer the same bytes, so a difference is a portability bug of the store or its queries.
/// </para>
/// <para>
/// Normalised, as little as possible (everything else is compared as sent):
/// <list type="bullet">
/// <item><c>ETag</c>: the app hashes the build's module version id into it (it changes with every compile); kept as
/// <c>"{run}-{hash}"</c> with the hash replaced by <see cref="HashPlaceholder"/> (regex <see cref="EtagHash"/>).</item>
/// <item><c>traceId</c> in <c>application/problem+json</c> bodies: the request's trace (random per request); its value is
/// replaced by <see cref="TraceIdPlaceholder"/> (regex <see cref="TraceIdValue"/>).</item>
/// <item>SVG clip-path ids (<c>cl_1a</c>, hexadecimal): ScottPlot numbers them from a counter shared by every chart the process has
/// drawn, so they depend on which charts were drawn before; renumbered from 0 in the order they appear (regex
/// <see cref="ClipPathId"/>).</item>
/// <item>Not recorded at all: <c>Date</c> (the time of the request), and the framing headers <c>Transfer-Encoding</c> and
/// <c>Content-Length</c> (how Kestrel sends the body, which is compared itself).</item>
/// </list>
/// </para>
/// </summary>
public abstract partial class ApprovedAnswersTests(ApprovalApp app)
{
    public sealed class OnSqlite(ApprovalApp app) : ApprovedAnswersTests(app), IClassFixture<ApprovalApp>;

    /// <summary>The same store on PostgreSQL must give the same bytes: the approved files are shared, never written from here.</summary>
    public sealed class OnPostgres(PostgresApprovalApp app) : ApprovedAnswersTests(app), IClassFixture<PostgresApprovalApp>;

    public const string HashPlaceholder = "{build-and-address-hash}";
    public const string TraceIdPlaceholder = "{trace-id}";

    /// <summary>Headers left out of the record: see the class summary.</summary>
    private static readonly HashSet<string> _unrecorded = new(StringComparer.OrdinalIgnoreCase) { "Date", "Transfer-Encoding", "Content-Length" };

    public static string Folder => Repo.Path("tests", "OpenModelWatch.Tests", "Approval", "approved");

    public static TheoryData<string> Files => new(ApprovedRequests.All.Select(request => request.File));

    [Theory]
    [MemberData(nameof(Files))]
    public async Task TheAnswerIsTheApprovedOne(string file)
    {
        var request = ApprovedRequests.All.Single(r => r.File == file);
        using var response = await app.Client.GetAsync(request.Path, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
        {
            body = Encoding.UTF8.GetBytes(TraceIdValue().Replace(Encoding.UTF8.GetString(body), "$1\"" + TraceIdPlaceholder + "\""));
        }

        if (response.Content.Headers.ContentType?.MediaType == "image/svg+xml")
        {
            body = Encoding.UTF8.GetBytes(RenumberClipPaths(Encoding.UTF8.GetString(body)));
        }

        var head = Head(request, response);
        var failures = new List<string>();
        Compare(request.HeadFile, request.ReceivedHeadFile, Encoding.UTF8.GetBytes(head), failures);
        Compare(request.File, request.ReceivedFile, body, failures);
        Assert.True(failures.Count == 0, $"GET {request.Path}:\n" + string.Join("\n", failures));
    }

    /// <summary>One request a file, and no approved file left over from a request taken off the list.</summary>
    [Fact]
    public void EveryApprovedFileBelongsToARequest()
    {
        var files = ApprovedRequests.All.SelectMany(request => new[] { request.File, request.HeadFile }).ToArray();
        Assert.Equal(files.Length, files.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        var approved = Directory.Exists(Folder)
            ? Directory.EnumerateFiles(Folder).Select(Path.GetFileName).OfType<string>()
                .Where(file => !file.StartsWith('.') && !file.Contains(".received.", StringComparison.Ordinal))
            : [];
        Assert.Empty(approved.Except(files, StringComparer.Ordinal));
    }

    /// <summary>The request, the status and every recorded header, sorted by name, one a line.</summary>
    private static string Head(ApprovedRequest request, HttpResponseMessage response)
    {
        var text = new StringBuilder();
        text.Append("GET ").Append(request.Path).Append('\n');
        text.Append((int)response.StatusCode).Append(' ').Append(response.ReasonPhrase).Append('\n');
        var headers = response.Headers.Concat(response.Content.Headers)
            .Where(header => !_unrecorded.Contains(header.Key))
            .OrderBy(header => header.Key, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, values) in headers)
        {
            foreach (var value in values)
            {
                var recorded = key.Equals("ETag", StringComparison.OrdinalIgnoreCase) ? EtagHash().Replace(value, "$1" + HashPlaceholder + "\"") : value;
                text.Append(key).Append(": ").Append(recorded).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// Compares an answer with its approved file. On PostgreSQL the received file is named <c>….received.postgres.…</c>
    /// (both stores may differ at once), and a missing approved file is not written: answers are approved on SQLite.
    /// </summary>
    private void Compare(string approvedName, string receivedName, byte[] received, List<string> failures)
    {
        var onPostgres = app.Folder.Provider == StoreProvider.PostgreSQL;
        if (onPostgres)
        {
            receivedName = receivedName.Replace(".received.", ".received.postgres.", StringComparison.Ordinal);
        }

        var approved = Path.Combine(Folder, approvedName);
        var receivedPath = Path.Combine(Folder, receivedName);
        if (!File.Exists(approved))
        {
            if (onPostgres)
            {
                failures.Add($"{approvedName} is missing: approve it on SQLite (ApprovedAnswersTests.OnSqlite), then run again.");
                return;
            }

            Directory.CreateDirectory(Folder);
            File.WriteAllBytes(approved, received);
            failures.Add($"{approvedName} was missing: written from this answer; check it, then run again.");
            return;
        }

        if (File.ReadAllBytes(approved).AsSpan().SequenceEqual(received))
        {
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllBytes(receivedPath, received);
        failures.Add($"{receivedName} differs from the approved {approvedName} (both in {Folder}).");
    }

    /// <summary><c>"2-0123456789abcdef01"</c>: the run id kept (group 1), the hash of build and address replaced.</summary>
    [GeneratedRegex("^((?:W/)?\"[0-9]+-)[0-9a-f]+\"$")]
    private static partial Regex EtagHash();

    /// <summary>Clip-path ids renumbered in order of appearance: the same drawing gives the same text whatever was drawn before.</summary>
    private static string RenumberClipPaths(string svg)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        return ClipPathId().Replace(svg, match =>
        {
            if (!ids.TryGetValue(match.Value, out var number))
            {
                number = ids.Count;
                ids[match.Value] = number;
            }

            return "cl_" + number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
    }

    [GeneratedRegex("\\bcl_[0-9a-f]+\\b")]
    private static partial Regex ClipPathId();

    /// <summary><c>"traceId":"00-…-…-00"</c> (or Kestrel's request id): the name kept (group 1), the value replaced.</summary>
    [GeneratedRegex("(\"traceId\"\\s*:\\s*)\"[^\"]*\"")]
    private static partial Regex TraceIdValue();
}
