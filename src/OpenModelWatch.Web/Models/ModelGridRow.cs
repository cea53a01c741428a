namespace OpenModelWatch.Web.Models;

/// <summary>
/// A row of the models grid: its rank in the current order and the API's item. Sortable columns are named after
/// the API's sort fields (<c>Likes</c> ↔ <c>likes</c>), which is how a clicked header becomes <c>sort=likes</c>.
/// </summary>
public sealed record ModelGridRow(int Rank, ModelItem Item)
{
    public long Downloads30d => Item.Downloads30d;
    public long? DownloadsAllTime => Item.DownloadsAllTime;
    public long? Likes => Item.Likes;
    public long? TrendingScore => Item.TrendingScore;
    public DateTime? CreatedAt => Item.CreatedAt;
    public long? Parameters => Item.Parameters;

    /// <summary>The API sort field of a grid column (its property name), or null when the column does not sort.</summary>
    public static string? SortFieldOf(string? propertyName)
    {
        if (string.IsNullOrEmpty(propertyName))
        {
            return null;
        }

        var field = char.ToLowerInvariant(propertyName[0]) + propertyName[1..];
        return ModelLeaderboard.SortFields.Contains(field) ? field : null;
    }
}

/// <summary>
/// The models grid's page as the server rendered it before the circuit connected (the address it answers, its rows and
/// total), carried into the interactive render by persistent component state so the grid's first load does not query again.
/// </summary>
public sealed record PrerenderedModels(string Uri, int Total, IReadOnlyList<ModelItem> Items);
