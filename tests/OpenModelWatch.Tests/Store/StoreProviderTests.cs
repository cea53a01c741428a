using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Store;

/// <summary><c>Store:Provider</c> and the connection string it needs, read at start: a bad value stops the host with one line naming the key.</summary>
public sealed class StoreProviderTests
{
    private static StoreConnection Resolve(params (string Key, string Value)[] settings) =>
        StoreSetup.Resolve(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build(), "/srv/omw");

    [Fact]
    public void SqliteIsTheDefaultWithTheFileUnderTheContentRoot()
    {
        var store = Resolve();
        Assert.Equal(StoreProvider.Sqlite, store.Provider);
        Assert.Equal("/srv/omw/data/openmodelwatch.db", store.DatabasePath);
    }

    [Theory]
    [InlineData("PostgreSQL")]
    [InlineData("postgresql")]
    public void PostgreSqlTakesItsConnectionStringAndPreparesRepeatedStatements(string provider)
    {
        var store = Resolve(("Store:Provider", provider), ("ConnectionStrings:OpenModelWatch", "Host=db;Database=omw;Username=omw;Password=secret"));
        Assert.Equal(StoreProvider.PostgreSQL, store.Provider);
        Assert.Null(store.DatabasePath);
        Assert.Contains("Max Auto Prepare=32", store.ConnectionString);
        Assert.Equal("PostgreSQL database omw on db:5432", store.Description);
    }

    [Theory]
    [InlineData("Oracle", null, "Store:Provider must be Sqlite or PostgreSQL (was 'Oracle').")]
    [InlineData("1", null, "Store:Provider must be Sqlite or PostgreSQL (was '1').")]
    [InlineData("PostgreSQL", null, "ConnectionStrings:OpenModelWatch is required when Store:Provider is PostgreSQL")]
    [InlineData("PostgreSQL", "Database=omw", "ConnectionStrings:OpenModelWatch has no Host.")]
    [InlineData("PostgreSQL", "Hots=db", "ConnectionStrings:OpenModelWatch is not a valid PostgreSQL connection string")]
    public void ABadSettingStopsTheStartWithOneLineNamingTheKey(string provider, string? connectionString, string message)
    {
        var settings = new List<(string, string)> { ("Store:Provider", provider) };
        if (connectionString is not null)
        {
            settings.Add(("ConnectionStrings:OpenModelWatch", connectionString));
        }

        var exception = Assert.Throws<StartupException>(() => Resolve([.. settings]));
        Assert.StartsWith(message, exception.Message);
        Assert.DoesNotContain('\n', exception.Message);
    }
}
