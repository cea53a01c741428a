using OpenModelWatch.Web.Security;

namespace OpenModelWatch.Web.Operations;

/// <summary>
/// <c>hash-secret</c>: reads a password or an API key (one line from standard input, or typed without echo at a
/// terminal) and prints its hash for <c>Admin:PasswordHash</c> or <c>Admin:ApiKeyHash</c>. Only the hash goes to
/// standard output, so it can be captured; the secret is never written anywhere.
/// </summary>
public static class HashSecretCommand
{
    public static async Task<int> RunAsync(TextReader input, TextWriter output, TextWriter error, bool fromTerminal)
    {
        string secret;
        if (fromTerminal)
        {
            await error.WriteAsync("Secret to hash (not shown): ");
            secret = ReadHidden();
            await error.WriteLineAsync();
        }
        else
        {
            secret = (await input.ReadToEndAsync()).TrimEnd('\r', '\n');
        }

        if (secret.Contains('\n'))
        {
            await error.WriteLineAsync("hash-secret: give one line: the secret itself.");
            return ExitCodes.BadUsage;
        }

        if (secret.Length < SecretHash.MinimumLength)
        {
            await error.WriteLineAsync($"hash-secret: the secret must be at least {SecretHash.MinimumLength} characters; it has {secret.Length}.");
            return ExitCodes.BadUsage;
        }

        await output.WriteLineAsync(SecretHash.Hash(secret));
        await error.WriteLineAsync("hash-secret: set this as Admin:PasswordHash (the /login password) or Admin:ApiKeyHash (the X-Api-Key header), e.g. the environment variable Admin__ApiKeyHash.");
        return 0;
    }

    private static string ReadHidden()
    {
        var secret = new System.Text.StringBuilder();
        while (Console.ReadKey(intercept: true) is var key && key.Key != ConsoleKey.Enter)
        {
            if (key.Key == ConsoleKey.Backspace)
            {
                secret.Length = Math.Max(0, secret.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                secret.Append(key.KeyChar);
            }
        }

        return secret.ToString();
    }
}
