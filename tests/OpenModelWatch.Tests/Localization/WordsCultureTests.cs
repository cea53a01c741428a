using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;

namespace OpenModelWatch.Tests.Localization;

/// <summary>The sentences shared by pages and files (filters in words, metric names, a failed run) in Spanish; English is pinned by Reading/WordsTests.</summary>
public sealed class WordsCultureTests
{
    private static readonly string[] _sorts = ["downloads30d", "likes"];
    private static readonly LabRegistry _registry = new([]);

    [Fact]
    public void FiltersInWords()
    {
        var parameters = ListUrl.Parse("http://localhost/models?country=CN&region=Europe&q=llama&minParameters=7000000000&createdFrom=2026-08-01&attribution=origin&sort=likes&order=asc", _sorts, "downloads30d");

        using (new CultureScope("es"))
        {
            Assert.Equal(
                "país CN · región Europa · el identificador contiene «llama» · al menos 7 mil M parámetros · creado desde el 1 ago 2026 · "
                + "por origen (los derivados cuentan para el laboratorio de su modelo base) · todos los modelos seguidos · ordenado por me gusta, de menor a mayor",
                FilterWords.Of(parameters, _registry, FilterWords.SortLabel(parameters.Sort!)));
            Assert.Equal("ejecuciones del 1 ago 2026 al 22 ago 2026", FilterWords.Range(new DateOnly(2026, 8, 1), new DateOnly(2026, 8, 22)));
            Assert.Equal("Descargas en 30 días", Metrics.Label(Metrics.Downloads30d));
        }

        using (new CultureScope("en"))
        {
            Assert.Equal(
                "country CN · region Europe · id contains \"llama\" · at least 7B parameters · created from 2026-08-01 · "
                + "by origin (derivatives count for their base model's lab) · all tracked models · sorted by likes, lowest first",
                FilterWords.Of(parameters, _registry, FilterWords.SortLabel(parameters.Sort!)));
        }
    }

    [Theory]
    [InlineData("GET https://huggingface.co/api/models?author=Qwen failed after 5 attempts: Name or service not known (huggingface.co:443); last status none",
        "No se pudo contactar con el Hub (falló la consulta DNS de huggingface.co)")]
    [InlineData("GET https://huggingface.co/api/models?author=Qwen failed after 1 attempt; last status 401 Unauthorized", "El Hub respondió 401 Unauthorized (1 intento)")]
    [InlineData("GET https://huggingface.co/api/models?author=Qwen failed after 8 attempts; last status 429 Too Many Requests",
        "El Hub siguió rechazando peticiones por superar su límite de frecuencia (429 Too Many Requests, 8 intentos)")]
    [InlineData(" ", "No se registró ningún motivo")]
    public void AFailedRunInSpanish(string error, string expected)
    {
        using var culture = new CultureScope("es");
        Assert.Equal(expected, RunFailure.Summary(error));
    }
}
