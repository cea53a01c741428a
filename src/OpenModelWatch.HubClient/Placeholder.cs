namespace OpenModelWatch.HubClient; internal static class Placeholder { }
