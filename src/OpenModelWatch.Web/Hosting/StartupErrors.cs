using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Hosting;

/// <summary>
/// Start-up failures as one line naming the configuration key at fault. The key's section is the options class's own
/// <c>Section</c> constant, so an options class registered by its feature needs nothing here.
/// </summary>
public static partial class StartupErrors
{
    /// <summary>The failures that stop the host with one line rather than a stack trace.</summary>
    public static bool IsStartupFailure(Exception exception) =>
        exception is StartupException or LabRegistryException or LineageFixesException or OptionsValidationException or InvalidOperationException or AggregateException;

    /// <summary>One line, naming the configuration key where there is one.</summary>
    public static string OneLine(Exception exception)
    {
        var message = exception switch
        {
            OptionsValidationException options => string.Join(" ", options.Failures.Select(failure => Keyed(options.OptionsType, failure))),
            AggregateException { InnerExceptions.Count: > 0 } aggregate => string.Join(" ", aggregate.InnerExceptions.Select(OneLine)),
            _ => exception.Message,
        };
        return message.ReplaceLineEndings(" ");
    }

    private static string Keyed(Type optionsType, string failure)
    {
        var section = SectionOf(optionsType);
        if (failure.StartsWith(section + ":", StringComparison.Ordinal))
        {
            return failure;
        }

        var members = MembersFailure().Match(failure);
        return members.Success ? $"{section}:{members.Groups[1].Value}: {members.Groups[2].Value.TrimEnd('.', '\'')}." : $"{section}: {failure}";
    }

    /// <summary>The configuration section of an options class: its <c>Section</c> constant, else its name.</summary>
    private static string SectionOf(Type optionsType) =>
        optionsType.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field && field.GetRawConstantValue() is string section
            ? section
            : optionsType.Name;

    [GeneratedRegex("members: '([^']+)' with the error: '(.*)'\\.?$")]
    private static partial Regex MembersFailure();
}
