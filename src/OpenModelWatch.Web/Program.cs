using OpenModelWatch.Web;
using OpenModelWatch.Web.Api;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Labs;
using OpenModelWatch.Web.Overview;
using OpenModelWatch.Web.Snapshot;
using OpenModelWatch.Web.Store;

var builder = WebApplication.CreateBuilder(args);

// Logs: Serilog to the console and rolling compact-JSON files
builder.AddLogs();

// The store: EF Core on SQLite, migrations applied at start
builder.AddStore();

// The lab registry: seeds/labs.json, validated at load
builder.AddLabRegistry();

// Ingestion: the Hub client, the runner and the scheduled worker
builder.AddIngestion();

// The bundled real Hub snapshot (August 2026), imported at first start so the dashboard opens on real numbers
builder.AddBundledSnapshot();

// Leaderboards: the queries behind the API, the pages and the exports
builder.AddLeaderboards();

// The dashboard: Blazor Server pages in MudBlazor, on the same queries as the API
builder.AddDashboard();

// The overview's headlines: top-10 and top-5-trending composition by region, Qwen vs Llama, region shares
builder.AddOverview();

// Security: administrator login and API key, rate limits, security headers, request size limits, HTTPS
builder.AddSecurity();

// Operations: health checks, metrics, request logging, a reverse proxy's headers, runs started by the administrator
builder.AddOperations();

// Exports: charts as PNG/SVG, tables as CSV/JSON, embeds, the OpenAPI reference, caching per as-of run
builder.AddExports();

var app = builder.Build();

// Serve the dashboard and the API, or run a command (ingest, backup, hash-secret) and exit
return await app.RunAsync(args);

/// <summary>The entry point, visible to <c>WebApplicationFactory</c> in tests.</summary>
public partial class Program;
