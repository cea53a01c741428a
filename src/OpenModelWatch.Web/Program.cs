using OpenModelWatch.Web.Adoption;
using OpenModelWatch.Web.Api;
using OpenModelWatch.Web.Components;
using OpenModelWatch.Web.Concentration;
using OpenModelWatch.Web.Countries;
using OpenModelWatch.Web.Derivatives;
using OpenModelWatch.Web.Files;
using OpenModelWatch.Web.Flags;
using OpenModelWatch.Web.Hosting;
using OpenModelWatch.Web.Import;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Labs;
using OpenModelWatch.Web.Localization;
using OpenModelWatch.Web.Models;
using OpenModelWatch.Web.Operations;
using OpenModelWatch.Web.Overview;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Runs;
using OpenModelWatch.Web.Security;
using OpenModelWatch.Web.Snapshot;
using OpenModelWatch.Web.Store;

var builder = WebApplication.CreateBuilder(args);

// Logs: Serilog to the console and rolling compact-JSON files, secrets masked
builder.AddLogs();

// The store (EF Core on SQLite, migrations at start) and the lab registry (seeds/labs.json, validated at load)
builder.AddStore();
builder.AddLabRegistry();

// Ingestion: the Hub client, the runner and the scheduled worker; the bundled real datasets (monthly history 2024-11 – 2025-09, August 2026 snapshot) imported at start
builder.AddIngestion();
builder.AddBundledData();

// The import command: whole-Hub Parquet snapshots (cfahlgren1/hub-stats) of days before the first run
builder.AddImport();

// The shared read layer, the API plumbing (problems, OpenAPI, caching per as-of run) and the file machinery
builder.AddReading();
builder.AddApi();
builder.AddFiles();

// The features, each with its pages, queries, API routes, charts, embeds and table files
builder.AddOverview();
builder.AddModels();
builder.AddLabs();
builder.AddCountries();
builder.AddConcentration();
builder.AddAdoption();
builder.AddFlags();
builder.AddDerivatives();
builder.AddRuns();

// The languages (English, Spanish: Localization/Texts*.resx), the dashboard shell (Blazor Server, MudBlazor), security and operations
builder.AddLocalizedTexts();
builder.AddDashboard();
builder.AddSecurity();
builder.AddOperations();

var app = builder.Build();

// Serve, or run a command (ingest, import FILE…, backup FILE, hash-secret) and exit; --help lists them
return await app.RunCommandLineAsync(args, Serve);

// Serving: the middleware in order (Hosting/Pipeline.cs says why), then every feature's endpoints
static void Serve(WebApplication app)
{
    app.UsePipeline();
    app.MapOperations();
    app.MapSecurity();
    app.MapApiDocumentation();
    app.MapOverview();
    app.MapModels();
    app.MapLabs();
    app.MapCountries();
    app.MapConcentration();
    app.MapAdoption();
    app.MapFlags();
    app.MapDerivatives();
    app.MapRuns();
    app.MapDashboard();
}

/// <summary>The entry point, visible to <c>WebApplicationFactory</c> in tests.</summary>
public partial class Program;
