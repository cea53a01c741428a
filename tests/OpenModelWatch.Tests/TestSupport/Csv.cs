using System.Text;

namespace OpenModelWatch.Tests.TestSupport;

/// <summary>
/// An RFC 4180 reader written for the tests (not the app's CsvHelper), and the layout of an export: an optional
/// metadata block of key,value records, a blank line, then the header and the rows.
/// </summary>
public sealed record CsvFile(IReadOnlyList<(string Key, string Value)> Metadata, IReadOnlyList<string> Header, IReadOnlyList<string[]> Rows)
{
    public const char FormulaEscape = '\'';
    private static readonly char[] _formulaStarts = ['=', '+', '-', '@', '\t', '\r'];

    public string? this[string key] => Metadata.FirstOrDefault(pair => pair.Key == key).Value;

    public IEnumerable<string> All(string key) => Metadata.Where(pair => pair.Key == key).Select(pair => pair.Value);

    public int Column(string name)
    {
        var index = Header.ToList().IndexOf(name);
        Assert.True(index >= 0, $"No column {name} in {string.Join(",", Header)}");
        return index;
    }

    /// <summary>A cell as the app wrote it, with the <c>'</c> it put before a formula character taken off.</summary>
    public static string Plain(string cell) =>
        cell.Length > 1 && cell[0] == FormulaEscape && _formulaStarts.Contains(cell[1]) ? cell[1..] : cell;

    /// <summary>Whether a spreadsheet would run this cell as a formula.</summary>
    public static bool IsFormula(string cell) => cell.Length > 0 && _formulaStarts.Contains(cell[0]) && !double.TryParse(cell, System.Globalization.CultureInfo.InvariantCulture, out _);

    public static CsvFile Parse(string text, bool withMetadata)
    {
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        var records = Records(text);
        var metadata = new List<(string, string)>();
        var start = 0;
        if (withMetadata)
        {
            while (start < records.Count && records[start].Length > 0)
            {
                Assert.Equal(2, records[start].Length);
                metadata.Add((records[start][0], records[start][1]));
                start++;
            }

            Assert.True(start < records.Count, "No blank line after the metadata block.");
            start++;
        }

        Assert.True(start < records.Count, "No header row.");
        var header = records[start];
        var rows = records.Skip(start + 1).ToList();
        Assert.All(rows, row => Assert.Equal(header.Length, row.Length));
        return new CsvFile(metadata, header, rows);
    }

    /// <summary>Every record; a blank line is a record of no fields.</summary>
    public static List<string[]> Records(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var any = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    quoted = true;
                    any = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    any = true;
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    break;
                case '\n':
                    if (any || field.Length > 0)
                    {
                        fields.Add(field.ToString());
                    }

                    records.Add([.. fields]);
                    fields.Clear();
                    field.Clear();
                    any = false;
                    break;
                default:
                    field.Append(c);
                    any = true;
                    break;
            }
        }

        if (any || field.Length > 0)
        {
            fields.Add(field.ToString());
            records.Add([.. fields]);
        }

        return records;
    }
}
