using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using OpenModelWatch.Tests.TestSupport;
using SkiaSharp;

namespace OpenModelWatch.Tests.Files;

/// <summary>
/// Files in Spanish (<c>lang=es</c>): charts drawn in Spanish with Spanish number formats, embeds in Spanish, table
/// files whose table is byte for byte the English one and whose metadata block is Spanish, problems in Spanish; an
/// unknown language is a 400 naming <c>lang</c>.
/// </summary>
[Collection(ExportsCollection.Name)]
public sealed class SpanishFilesTests(ExportsApp app)
{
    private const string SpanishSource = "Fuente: recuentos de descargas del Hugging Face Hub, vía OpenModelWatch";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RegionShareSvgInSpanishHasSpanishTitleSourceAxesLegendAndNumbers()
    {
        var texts = await SvgTextsAsync("/charts/region-share.svg?lang=es");
        var json = await app.JsonAsync("/charts/region-share.json?lang=es");
        var title = json.GetProperty("title").GetString()!;
        Assert.StartsWith("Cuota de ", title, StringComparison.Ordinal);
        Assert.EndsWith(" por región", title, StringComparison.Ordinal);
        Assert.Contains(title, texts);
        Assert.Contains(SpanishSource, texts);
        var asOf = DateTime.Parse(json.GetProperty("asOf").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        Assert.Contains(texts, text => text.StartsWith("Datos a ", StringComparison.Ordinal) && text.EndsWith(" (ejecución 2)", StringComparison.Ordinal));
        Assert.Contains($"Método: {app.BaseUrl}/methodology?lang=es#denominators", texts);
        Assert.Contains("Cuota (%)", texts);
        Assert.Contains("Ejecución (fecha de los datos, UTC)", texts);
        // The legend names the regions in Spanish; the data keeps their names.
        Assert.Contains("Europa", texts);
        Assert.Contains("Estados Unidos", texts);
        Assert.Contains("Comunidad", texts);
        // The definitions under the chart are Spanish too, the region's included; no English definition is left.
        Assert.Contains(json.GetProperty("definitions").EnumerateArray(), definition => definition.GetString()!.StartsWith("Región: Una agrupación para los gráficos", StringComparison.Ordinal));
        Assert.DoesNotContain(json.GetProperty("definitions").EnumerateArray(), definition => definition.GetString()!.Contains("A bucket for charts", StringComparison.Ordinal));
        Assert.Equal(["China", "US", "Europe", "Other", "Community"],
            json.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("series").GetString()).Distinct());
        // Spanish percentages on the axis: "40 %", never "40%"; dates with Spanish month names.
        Assert.Contains(texts, text => text.EndsWith(" %", StringComparison.Ordinal) && char.IsAsciiDigit(text[0]));
        Assert.DoesNotContain(texts, text => text.EndsWith("0%", StringComparison.Ordinal));
        Assert.Contains(texts, text => System.Text.RegularExpressions.Regex.IsMatch(text, @"^\d{1,2} (ene|feb|mar|abr|may|jun|jul|ago|sept?|oct|nov|dic) \d{2}:\d{2}$"));

        // The same chart in English is as it always was.
        var english = await SvgTextsAsync("/charts/region-share.svg");
        Assert.Contains("Source: Hugging Face Hub download counts, via OpenModelWatch", english);
        Assert.Contains($"As of {asOf:yyyy-MM-dd HH:mm} UTC (run 2)", english);
        Assert.Contains("Share (%)", english);
        Assert.DoesNotContain(SpanishSource, english);
    }

    [Fact]
    public async Task TopModelsAndCountryComparisonSvgInSpanishHaveSpanishTitles()
    {
        var newest = await SvgTextsAsync("/charts/top-models.svg?lang=es&sort=createdAt&n=5");
        Assert.Contains("Los 5 modelos más recientes", newest);
        Assert.Contains(SpanishSource, newest);
        Assert.Contains(newest, text => text.StartsWith("Europa: ", StringComparison.Ordinal));

        var compared = await SvgTextsAsync("/charts/country-comparison.svg?lang=es&a=Europe&b=US");
        Assert.Contains(compared, text => text.StartsWith("Europa frente a Estados Unidos: ", StringComparison.Ordinal));
        Assert.Contains(SpanishSource, compared);

        var rank = await SvgTextsAsync("/charts/labs/qwen/history.svg?lang=es&metric=rank");
        Assert.Contains("Puesto (1 = primero)", rank);
        Assert.Contains(rank, text => text.StartsWith("n.º ", StringComparison.Ordinal));

        var concentration = await SvgTextsAsync("/charts/concentration.svg?lang=es");
        Assert.Contains("Concentración de las descargas entre laboratorios (IHH)", concentration);
        Assert.Contains("Todos los laboratorios", concentration);
        Assert.Contains("IHH (0–10.000)", concentration);

        var releases = await SvgTextsAsync("/charts/releases.svg?lang=es");
        Assert.Contains("Modelos nuevos de los laboratorios registrados por mes, por región", releases);
        Assert.Contains("Mes de creación (UTC)", releases);

        var adoption = await SvgTextsAsync("/charts/adoption.svg?lang=es&n=5");
        Assert.Contains("Por encima de su peso: las 5 ratios de adopción más altas", adoption);
    }

    [Fact]
    public async Task SpanishPngDecodesAtTheRequestedSize()
    {
        foreach (var chart in new[] { "region-share", "top-models", "country-comparison" })
        {
            using var response = await app.Client.GetAsync($"/charts/{chart}.png?lang=es&width=800&height=450", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
            using var bitmap = SKBitmap.Decode(await response.Content.ReadAsByteArrayAsync(Ct));
            Assert.Equal((800, 450), (bitmap.Width, bitmap.Height));
            Assert.True(bitmap.Pixels.Distinct().Count() > 20);
            await File.WriteAllBytesAsync(Path.Combine(Browser.ScreenshotFolder, $"chart-{chart}-es-800.png"), await response.Content.ReadAsByteArrayAsync(Ct), Ct);
        }
    }

    [Theory]
    [InlineData("/exports/models.csv", "country=CN&sort=likes")]
    [InlineData("/exports/labs.csv", "")]
    [InlineData("/charts/region-share.csv", "")]
    public async Task CsvInSpanishHasTheEnglishTableByteForByteAndASpanishMetadataBlock(string path, string query)
    {
        var english = await TextAsync($"{path}?{query}");
        var spanish = await TextAsync($"{path}?{query}&lang=es");
        var (englishBlock, englishTable) = Split(english);
        var (spanishBlock, spanishTable) = Split(spanish);
        Assert.Equal(englishTable, spanishTable);
        // lang=en is the default: the same block but for the permalink, which keeps the address as given.
        var (explicitBlock, explicitTable) = Split(await TextAsync($"{path}?{query}&lang=en"));
        Assert.Equal(englishTable, explicitTable);
        Assert.Equal(englishBlock[..^2], explicitBlock[..^2]);
        Assert.True(englishTable.Split("\r\n").Length > 2);

        // The same number of lines, so "Table starts on line" (and pandas' skiprows) is the same number.
        Assert.Equal(englishBlock.Length, spanishBlock.Length);
        Assert.Equal(englishBlock[^1].Split(',')[1], spanishBlock[^1].Split(',')[1]);
        // The keys are the same in both languages (scripts read the block by key); the human-readable values are Spanish.
        Assert.Equal(englishBlock.Select(line => line.Split(',')[0]), spanishBlock.Select(line => line.Split(',')[0]));
        Assert.StartsWith("OpenModelWatch export,", spanishBlock[0], StringComparison.Ordinal);
        Assert.Equal(englishBlock[1], spanishBlock[1]); // the ISO time is the same
        Assert.Contains($"Source,{SpanishSource}", spanishBlock.Select(line => line.Replace("\"", "", StringComparison.Ordinal)));
        Assert.Contains(spanishBlock, line => line.StartsWith($"Method,{app.BaseUrl}/methodology?lang=es#", StringComparison.Ordinal));
        Assert.Contains(spanishBlock, line => line.StartsWith("Filters,", StringComparison.Ordinal));
        Assert.Contains(spanishBlock, line => line.StartsWith("Permalink,", StringComparison.Ordinal) && line.Contains("lang=es", StringComparison.Ordinal));
        Assert.StartsWith("Table starts on line,", spanishBlock[^1], StringComparison.Ordinal);
        Assert.Contains("Data source,hub-api: Las ejecuciones propias de esta instalación contra la API del Hub", string.Join("\n", spanishBlock).Replace("\"", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonFilesInSpanishHaveTheSameItemsAndFieldNames()
    {
        foreach (var path in new[] { "/exports/models.json?country=CN", "/charts/region-share.json", "/api/v1/labs?limit=5" })
        {
            var separator = path.Contains('?', StringComparison.Ordinal) ? "&" : "?";
            var english = await app.JsonAsync(path);
            var spanish = await app.JsonAsync(path + separator + "lang=es");
            Assert.Equal(english.EnumerateObject().Select(p => p.Name), spanish.EnumerateObject().Select(p => p.Name));
            Assert.Equal(english.GetProperty("items").GetRawText(), spanish.GetProperty("items").GetRawText());
        }
    }

    [Theory]
    [InlineData("/charts/region-share.svg?lang=fr")]
    [InlineData("/charts/top-models.png?lang=fr")]
    [InlineData("/api/v1/models?lang=fr")]
    [InlineData("/api/v1/labs?lang=ES")]
    [InlineData("/exports/models.csv?lang=fr")]
    [InlineData("/embed/region-share?lang=fr")]
    [InlineData("/api/v1/models?lang=es&lang=en")]
    public async Task AnUnknownLanguageIsA400NamingLang(string path)
    {
        using var response = await app.Client.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal("lang", problem.GetProperty("parameter").GetString());
        Assert.Equal("Invalid parameter: lang", problem.GetProperty("title").GetString());
        Assert.StartsWith("lang: ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownLanguageSaysWhichLanguagesThereAre()
    {
        var problem = JsonDocument.Parse(await (await app.Client.GetAsync("/api/v1/models?lang=fr", Ct)).Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal("lang: \"fr\" is not a language of OpenModelWatch (one of en, es).", problem.GetProperty("detail").GetString());

        // A page is lenient: it falls back to the reader's language.
        using var page = await app.Client.GetAsync("/methodology?lang=fr", Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task ProblemsOfASpanishAddressAreInSpanishWithTheSameMachineFields()
    {
        using var spanish = await app.Client.GetAsync("/api/v1/models?lang=es&sort=nope", Ct);
        using var english = await app.Client.GetAsync("/api/v1/models?sort=nope", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, spanish.StatusCode);
        var es = JsonDocument.Parse(await spanish.Content.ReadAsStringAsync(Ct)).RootElement;
        var en = JsonDocument.Parse(await english.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal("Parámetro no válido: sort", es.GetProperty("title").GetString());
        Assert.StartsWith("El parámetro «sort» no es válido: ", es.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("Invalid parameter: sort", en.GetProperty("title").GetString());
        Assert.Equal(en.GetProperty("type").GetString(), es.GetProperty("type").GetString());
        Assert.Equal(en.GetProperty("status").GetInt32(), es.GetProperty("status").GetInt32());
        Assert.Equal("sort", es.GetProperty("parameter").GetString());

        // The parsers' reasons, in Spanish when they have a known shape.
        foreach (var (path, detail) in new[]
        {
            ("/api/v1/models?lang=es&limit=0", "El parámetro «limit» no es válido: «0» no es un número entero de 1 a 1000."),
            ("/api/v1/models?lang=es&scope=everything", "El parámetro «scope» no es válido: «everything» no es un valor admitido (all o census)."),
            ("/api/v1/models?lang=es&createdFrom=2026-13-01", "El parámetro «createdFrom» no es válido: «2026-13-01» no es una fecha (aaaa-mm-dd)."),
            ("/api/v1/countries?lang=es&run=999", "El parámetro «run» no es válido: 999 no es una ejecución completada (véase /api/v1/runs)."),
            ("/exports/models.csv?lang=es&metadata=some", "El parámetro «metadata» no es válido: «some» no es block ni none."),
            ("/charts/region-share.svg?lang=es&width=10", "El parámetro «width» no es válido: «10» no es un número entero de 480 a 1600."),
        })
        {
            using var response = await app.Client.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(detail, JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("detail").GetString());
        }

        using var missing = await app.Client.GetAsync("/charts/labs/no-such-lab/history.svg?lang=es", Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("No encontrado", JsonDocument.Parse(await missing.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("title").GetString());
    }

    [Fact]
    public async Task EmbedInSpanishIsSpanishAndKeepsItsLanguageInEveryLink()
    {
        var html = await app.Client.GetStringAsync("/embed/top-models?country=CN&lang=es", Ct);
        Assert.Contains("<html lang=\"es\">", html, StringComparison.Ordinal);
        Assert.Matches(@"data-testid=""embed-as-of"">Datos a [^<]+ \(ejecución 2\)<", html);
        Assert.Contains(">Verlo en OpenModelWatch</a>", html, StringComparison.Ordinal);
        Assert.Contains(">Datos</a>", html, StringComparison.Ordinal);
        Assert.Contains(">Método</a>", html, StringComparison.Ordinal);
        Assert.Contains("src=\"/charts/top-models.png?country=CN&amp;lang=es\"", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"{app.BaseUrl}/models?country=CN&amp;lang=es\"", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"{app.BaseUrl}/methodology?lang=es\"", html, StringComparison.Ordinal);
        Assert.Contains("Fuente: recuentos de descargas", html, StringComparison.Ordinal);
        Assert.DoesNotContain("lang=es&amp;lang=es", html, StringComparison.Ordinal);
        Assert.DoesNotContain("See it on", html, StringComparison.Ordinal);
        Assert.DoesNotContain("As of", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheOpenApiDocumentListsLangOnEveryOperation()
    {
        var document = await app.JsonAsync("/openapi/v1.json");
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var lang = operation.Value.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "lang");
                Assert.Equal(["en", "es"], lang.GetProperty("schema").GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
            }
        }
    }

    [Fact]
    public async Task TheMethodologyInSpanishHasSpanishHeadingsAndTheSameSectionsAndFacts()
    {
        // A fresh client: ?lang=es sets the cookie, which must not leak into the English request.
        using var spanishClient = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var spanish = WebUtility.HtmlDecode(await spanishClient.GetStringAsync("/methodology?lang=es", Ct));
        using var englishClient = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var english = WebUtility.HtmlDecode(await englishClient.GetStringAsync("/methodology", Ct));

        Assert.Contains("<title>Metodología · OpenModelWatch</title>", spanish, StringComparison.Ordinal);
        Assert.Matches("<h1[^>]*>Cómo se hacen las cifras</h1>", spanish);
        foreach (var heading in new[]
        {
            "Qué cuenta el Hub como descarga", "Cómo se asignan laboratorios y países", "Atribución: por cuenta que lo sube o por origen",
            "Denominadores: de qué es una cuota", "Concentración: ¿pocos laboratorios o muchos?", "Alertas de cifra inflada",
            "Ejecuciones y fecha de los datos", "Fuentes: qué cubre cada ejecución y cómo comparar lo comparable", "Gráficos, tablas y la API",
        })
        {
            Assert.Matches($"<h2[^>]*>{System.Text.RegularExpressions.Regex.Escape(heading)}</h2>", spanish);
        }

        Assert.Matches("<h1[^>]*>How the numbers are made</h1>", english);
        Assert.DoesNotContain("Cómo se hacen las cifras", english, StringComparison.Ordinal);

        // The same sections, in the same order, and the same facts: the registry's size, the formulas' numbers.
        static string[] Ids(string html) => [.. System.Text.RegularExpressions.Regex.Matches(html, "(?:section|li) id=\"([a-z-]+)\"").Select(m => m.Groups[1].Value)];
        Assert.Equal(Ids(english), Ids(spanish));
        Assert.Equal(15, Ids(spanish).Length); // 11 sections and 4 anchored items (releases, adjusted, monthly-history, languages)
        Assert.Contains("(5 laboratorios, 5 espacios de nombres del Hub)", spanish, StringComparison.Ordinal);
        Assert.Contains("(5 labs, 5 Hub namespaces)", english, StringComparison.Ordinal);
        foreach (var fact in new[] { "Σ (100 · <em>s</em>)²", "<em>e</em> = <em>d</em> × 30 / mín(<em>a</em> + 1, 30)", "scope=census", "compare=like", "seeds/labs.json", "lang=fr" })
        {
            Assert.Contains(fact, spanish, StringComparison.Ordinal);
        }

        Assert.Contains("10.000 / IHH", spanish, StringComparison.Ordinal);
        Assert.Contains("10,000 / HHI", english, StringComparison.Ordinal);
        Assert.Contains("El registro: 5 laboratorios, sus países y sus fuentes", spanish, StringComparison.Ordinal);
    }

    private async Task<string[]> SvgTextsAsync(string path)
    {
        using var response = await app.Client.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var svg = XDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        XNamespace ns = "http://www.w3.org/2000/svg";
        return [.. svg.Descendants(ns + "text").Select(text => string.Join(" ", text.Value.Split(default(char[]), StringSplitOptions.RemoveEmptyEntries)))];
    }

    private async Task<string> TextAsync(string path)
    {
        using var response = await app.Client.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Ct);
    }

    /// <summary>A file for people: its metadata block's lines, and the table after the blank line.</summary>
    private static (string[] Block, string Table) Split(string file)
    {
        var at = file.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (file[..at].TrimStart('\uFEFF').Split("\r\n"), file[(at + 4)..]);
    }
}
