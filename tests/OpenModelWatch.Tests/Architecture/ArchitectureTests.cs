using System.Text;
using System.Text.RegularExpressions;
using ArchUnitNET.Domain;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnitV3;
using static ArchUnitNET.Fluent.ArchRuleDefinition;
using ArchModel = ArchUnitNET.Domain.Architecture;

namespace OpenModelWatch.Tests.Architecture;

/// <summary>
/// The folder layout of OpenModelWatch.Web (one namespace per folder) and the dependencies allowed between folders.
/// Namespaces are named relative to <c>OpenModelWatch.Web</c>; a folder listed here includes its sub-folders
/// unless a rule says otherwise.
/// </summary>
public class ArchitectureTests
{
    private const string WebRoot = "OpenModelWatch.Web";

    private static readonly ArchModel _architecture = new ArchLoader()
        .LoadAssemblies(typeof(Program).Assembly, typeof(OpenModelWatch.Hub.HubClient).Assembly)
        .Build();

    private static readonly string[] _features = ["Overview", "Models", "Labs", "Countries", "Concentration", "Adoption", "Flags", "Derivatives", "Runs", "Methodology"];
    private static readonly string[] _sharedCore = ["Reading", "Store", "Registry", "Localization"];
    private static readonly string[] _machinery = ["Files", "Api"];
    private static readonly string[] _others = ["Ingestion", "Snapshot", "Import", "Security", "Operations", "Hosting"];

    /// <summary>Every namespace a type of the web app may live in ("" is the root namespace, where Program lives).</summary>
    private static readonly string[] _knownNamespaces =
    [
        "",
        .. _features,
        .. _sharedCore,
        .. _machinery,
        .. _others,
        "Components", "Components.Layout", "Components.Shared",
        // EF Core migrations, written by dotnet-ef into the Store folder: SQLite's, PostgreSQL's.
        "Store.Migrations", "Store.PostgresMigrations",
    ];

    /// <summary>Namespaces of types that source generators add to the web app (Razor's type inference is mapped to its component's folder).</summary>
    private static readonly string[] _generatorNamespaces =
    [
        "Microsoft.Extensions.Validation.Embedded",
        "Microsoft.AspNetCore.OpenApi.Generated",
        "Microsoft.AspNetCore.Http.Generated",
        "System.Text.RegularExpressions.Generated",
    ];

    [Fact]
    public void FoldersOfTheWebAppFormNoCycle()
    {
        // Every namespace is its own node (Components, Components.Layout and Components.Shared apart, and the root).
        // ArchUnitNET's Slices().Matching("OpenModelWatch.Web.(**)") skips the root namespace and reports a cycle as a set
        // of slices rather than a path, so the graph is built here from the loaded types and their dependencies.
        var edges = new Dictionary<string, Dictionary<string, SortedSet<string>>>(StringComparer.Ordinal);
        foreach (var type in WebTypes())
        {
            var from = FolderOf(type);
            edges.TryAdd(from, new(StringComparer.Ordinal));
            foreach (var dependency in type.Dependencies)
            {
                // A generic method's type parameter is not a dependency on the type that declares the method (ArchUnitNET
                // can attribute it to another type's same-named generated method, e.g. two JsonSerializerContexts).
                if (dependency.Target is GenericParameter)
                {
                    continue;
                }

                var to = FolderOf(dependency.Target);
                if (to == from || !IsInWebNamespace(to))
                {
                    continue;
                }

                if (!edges[from].TryGetValue(to, out var uses))
                {
                    uses = new SortedSet<string>(StringComparer.Ordinal);
                    edges[from][to] = uses;
                }

                uses.Add($"{Relative(type.FullName)} uses {Relative(dependency.Target.FullName)}");
            }
        }

        var cycles = StronglyConnected(edges).Where(component => component.Count > 1).ToList();

        var report = new StringBuilder();
        foreach (var component in cycles)
        {
            var members = component.Order(StringComparer.Ordinal).ToList();
            if (members.Count > 2)
            {
                report.Append("Namespaces that all reach each other: ").AppendJoin(", ", members.Select(Label)).AppendLine();
            }

            // The shortest cycle through each namespace of the group, each cycle once, at most five.
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var path in members.Select(start => ShortestCycle(start, component, edges)))
            {
                if (!seen.Add(string.Join(",", path.Skip(1).Order(StringComparer.Ordinal))) || seen.Count > 5)
                {
                    continue;
                }

                report.Append("Cycle: ").AppendJoin(" -> ", path.Select(Label)).AppendLine();
                for (var i = 0; i < path.Count - 1; i++)
                {
                    var uses = edges[path[i]][path[i + 1]];
                    report.Append("  ").Append(Label(path[i])).Append(" -> ").Append(Label(path[i + 1])).Append(": ")
                        .AppendJoin("; ", uses.Take(3));
                    if (uses.Count > 3)
                    {
                        report.Append($"; and {uses.Count - 3} more");
                    }

                    report.AppendLine();
                }
            }
        }

        Assert.True(cycles.Count == 0, $"The namespaces of {WebRoot} depend on each other in a cycle:\n{report}");
    }

    [Fact]
    public void ReadingStoreAndRegistryDependOnNoFeatureNorOnTheAppAroundThem()
    {
        var forbidden = _features.Concat(["Components", "Api", "Files", .. _others]).ToArray();
        var core = Types().That().ResideInNamespaceMatching(Folders(_sharedCore)).As("Reading, Store and Registry")
            .Should().NotDependOnAny(Types().That().ResideInNamespaceMatching(Folders(forbidden)))
            .Because("the shared read layer, the store and the lab registry sit below the features and the app");
        var belowReading = Types().That().ResideInNamespaceMatching(Folders("Store", "Registry")).As("Store and Registry")
            .Should().NotDependOnAny(Types().That().ResideInNamespaceMatching(Folders("Reading")))
            .Because("the read layer is built on the store and the registry, not the other way round");

        var texts = Types().That().ResideInNamespaceMatching(Folders("Localization")).As("Localization")
            .Should().NotDependOnAny(Types().That().ResideInNamespaceMatching(Folders("Reading", "Store", "Registry")))
            .Because("the languages and their texts are below everything that shows a text");

        core.And(belowReading).And(texts).Check(_architecture);
    }

    [Fact]
    public void FilesAndApiMachineryDependOnNoFeatureNorComponent()
    {
        Types().That().ResideInNamespaceMatching(Folders(_machinery)).As("Files and Api")
            .Should().NotDependOnAny(Types().That().ResideInNamespaceMatching(Folders([.. _features, "Components"])))
            .Because("file and API plumbing is generic machinery the features use")
            .Check(_architecture);
    }

    [Fact]
    public void FeaturesDependNeitherOnHostingNorOnTheLayout()
    {
        Types().That().ResideInNamespaceMatching(Folders(_features)).As("the feature slices")
            .Should().NotDependOnAny(Types().That().ResideInNamespaceMatching(Folders("Hosting", "Components.Layout")))
            .Because("hosting and the page layout are wired around the features, not used by them")
            .Check(_architecture);
    }

    [Fact]
    public void ImportUsesOnlyIngestionStoreRegistryAndReading()
    {
        var forbidden = _features.Concat(["Components", "Api", "Files", "Snapshot", "Security", "Operations", "Hosting"]).ToArray();
        Types().That().ResideInNamespaceMatching(Folders("Import")).As("the import command")
            .Should().NotDependOnAny(Types().That().ResideInNamespaceMatching(Folders(forbidden)))
            .Because("an import writes runs as ingestion does, through the ingestion writer, the store and the registry")
            .Check(_architecture);
    }

    [Fact]
    public void HubClientDependsOnNeitherAspNetCoreNorEntityFramework()
    {
        // Types(true): the ASP.NET Core and EF Core types are referenced, not loaded, types of the architecture.
        Types().That().ResideInAssembly(typeof(OpenModelWatch.Hub.HubClient).Assembly).As("the Hub client")
            .Should().NotDependOnAny(Types(true).That()
                .ResideInNamespaceMatching(@"^Microsoft\.(AspNetCore|EntityFrameworkCore)(\.|$)"))
            .Because("the Hub client is a plain library the web app, commands and tests share")
            .Check(_architecture);
    }

    [Fact]
    public void EveryTypeOfTheWebAppLivesInAKnownFolder()
    {
        var webAssembly = typeof(Program).Assembly.FullName;
        var known = _knownNamespaces.Select(ns => ns.Length == 0 ? WebRoot : $"{WebRoot}.{ns}").ToHashSet(StringComparer.Ordinal);
        var strays = _architecture.Types
            .Where(type => type.Assembly.FullName == webAssembly && !IsGenerated(type))
            .Where(type => !known.Contains(FolderOf(type)))
            .GroupBy(FolderOf, StringComparer.Ordinal)
            .OrderBy(group => group.Key, StringComparer.Ordinal)
            .Select(group => $"  {(group.Key.Length == 0 ? "(global namespace)" : group.Key)}: "
                + string.Join(", ", group.Select(type => NameIn(group.Key, type)).Order(StringComparer.Ordinal)))
            .ToList();

        Assert.True(strays.Count == 0,
            $"Types outside the known folders of {WebRoot} (add a new folder to the architecture rules on purpose):\n"
            + string.Join("\n", strays));
    }

    /// <summary>The hand-written and Razor types of the web app in the OpenModelWatch.Web namespaces.</summary>
    private static IEnumerable<IType> WebTypes()
    {
        var webAssembly = typeof(Program).Assembly.FullName;
        return _architecture.Types.Where(type => type.Assembly.FullName == webAssembly && IsInWebNamespace(FolderOf(type)));
    }

    /// <summary>
    /// The namespace a type counts in: its own, except for the top-level-statements <c>Program</c> (global namespace,
    /// counted in the root) and Razor's <c>__Blazor.{Namespace}.{Component}.TypeInference</c> (counted in the component's namespace).
    /// Closures, lambdas and state machines are folded into their declaring members by ArchUnitNET.
    /// </summary>
    private static string FolderOf(IType type)
    {
        var ns = type.Namespace.FullName;
        if (ns.Length == 0 && type.Name == "Program" && type.Assembly.FullName == typeof(Program).Assembly.FullName)
        {
            return WebRoot;
        }

        const string Razor = "__Blazor.";
        return ns.StartsWith(Razor, StringComparison.Ordinal) && ns.LastIndexOf('.') > Razor.Length
            ? ns[Razor.Length..ns.LastIndexOf('.')]
            : ns;
    }

    private static bool IsInWebNamespace(string ns) => ns == WebRoot || ns.StartsWith(WebRoot + ".", StringComparison.Ordinal);

    /// <summary>Compiler- and source-generator-made types (ArchUnitNET already folds closures and state machines into their owners).</summary>
    private static bool IsGenerated(IType type) =>
        type.IsCompilerGenerated
        || _generatorNamespaces.Contains(type.Namespace.FullName, StringComparer.Ordinal)
        || type.Name.Contains('<', StringComparison.Ordinal)
        || type.Attributes.Any(attribute => attribute.FullName is "System.CodeDom.Compiler.GeneratedCodeAttribute"
            or "System.Runtime.CompilerServices.CompilerGeneratedAttribute"
            or "Microsoft.CodeAnalysis.EmbeddedAttribute");

    /// <summary>An anchored pattern for the given folders of the web app and their sub-folders (and Razor's type inference there).</summary>
    private static string Folders(params string[] folders) =>
        $@"^(__Blazor\.)?{Regex.Escape(WebRoot)}\.({string.Join('|', folders.Select(Regex.Escape))})(\..+)?$";

    private static string NameIn(string ns, IType type) =>
        ns.Length > 0 && type.FullName.StartsWith(ns + ".", StringComparison.Ordinal) ? type.FullName[(ns.Length + 1)..] : type.FullName;

    private static string Relative(string name) =>
        name.StartsWith(WebRoot + ".", StringComparison.Ordinal) ? name[(WebRoot.Length + 1)..] : name;

    private static string Label(string ns) => ns == WebRoot ? $"{WebRoot} (root)" : Relative(ns);

    /// <summary>Tarjan's strongly connected components of the namespace graph.</summary>
    private static List<List<string>> StronglyConnected(Dictionary<string, Dictionary<string, SortedSet<string>>> edges)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var lowLink = new Dictionary<string, int>(StringComparer.Ordinal);
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var components = new List<List<string>>();

        void Visit(string node)
        {
            index[node] = lowLink[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in Successors(node).Order(StringComparer.Ordinal))
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    lowLink[node] = Math.Min(lowLink[node], lowLink[next]);
                }
                else if (onStack.Contains(next))
                {
                    lowLink[node] = Math.Min(lowLink[node], index[next]);
                }
            }

            if (lowLink[node] == index[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);
                components.Add(component);
            }
        }

        IEnumerable<string> Successors(string node) => edges.TryGetValue(node, out var targets) ? targets.Keys : [];

        foreach (var node in edges.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return components;
    }

    /// <summary>A shortest cycle from a namespace of a strongly connected component back to itself.</summary>
    private static List<string> ShortestCycle(string start, List<string> component, Dictionary<string, Dictionary<string, SortedSet<string>>> edges)
    {
        var members = component.ToHashSet(StringComparer.Ordinal);
        var previous = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>([start]);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            foreach (var next in edges[node].Keys.Where(members.Contains).Order(StringComparer.Ordinal))
            {
                if (next == start)
                {
                    var path = new List<string> { start };
                    for (var at = node; at != start; at = previous[at])
                    {
                        path.Add(at);
                    }

                    path.Add(start);
                    path.Reverse();
                    return path;
                }

                if (previous.TryAdd(next, node))
                {
                    queue.Enqueue(next);
                }
            }
        }

        throw new InvalidOperationException($"No cycle through {start}.");
    }
}
