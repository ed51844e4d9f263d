using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace GrantFlow.Console.Tests;

/// <summary>What the journeys share: signing in through the page, reading amounts off tables, the API beside the UI.</summary>
public static partial class Journey
{
    /// <summary>Signs in through the sign-in page as a demo user, by keyboard (select, Tab, Enter).</summary>
    public static async Task SignInAsync(IPage page, string user)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("/");
        var users = page.Locator("#user");
        await users.SelectOptionAsync(user);
        await users.FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("signed-in-user")).ToHaveTextAsync(user);
    }

    /// <summary>Recipient code -> amount in yuan, read off an allocation table as shown ("1,234,567").</summary>
    public static async Task<Dictionary<string, long>> AmountsAsync(IPage page, string testId = "whatif", string cell = "amount")
    {
        ArgumentNullException.ThrowIfNull(page);
        var amounts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var row in await page.GetByTestId(testId).Locator("tbody tr[data-code]").AllAsync())
        {
            var code = await row.GetAttributeAsync("data-code");
            var text = await row.GetByTestId(cell).InnerTextAsync();
            amounts[code!] = long.Parse(text, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        }

        return amounts;
    }

    /// <summary>Presses Tab until <paramref name="target"/> has the focus (at most 300 times), as a keyboard user would.</summary>
    /// <summary>Answers the confirmation an action asks for, after checking it says <paramref name="says"/>.</summary>
    public static async Task ConfirmAsync(IPage page, string says)
    {
        ArgumentNullException.ThrowIfNull(page);
        await Assertions.Expect(page.GetByTestId("confirm-message")).ToContainTextAsync(says);
        await page.GetByTestId("confirm").ClickAsync();
        await Assertions.Expect(page.GetByTestId("confirm-dialog")).ToHaveCountAsync(0);
    }

    public static async Task TabToAsync(IPage page, ILocator target)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(target);
        for (var i = 0; i < 300; i++)
        {
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement"))
            {
                return;
            }

            await page.Keyboard.PressAsync("Tab");
        }

        throw new InvalidOperationException("not reachable with Tab: " + target);
    }

    /// <summary>The page's controls that have no label, no aria-label and (for buttons) no text, as HTML.</summary>
    public static Task<string[]> UnlabelledControlsAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('main input, main select, main textarea, main button')]" +
            ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !(e.tagName === 'BUTTON' && e.textContent.trim()))" +
            ".map(e => e.outerHTML.slice(0, 120))");
    }

    public static long Yuan(string shown) => long.Parse(shown.Trim(), NumberStyles.AllowThousands | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    /// <summary>Waits for the page to be on a run's page and returns the run id.</summary>
    public static async Task<string> RunIdAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.WaitForURLAsync(RunUrl());
        return RunUrl().Match(page.Url).Groups[1].Value;
    }

    public static async Task WaitForStatusAsync(IPage page, string status, int timeoutMs = 60_000)
    {
        ArgumentNullException.ThrowIfNull(page);
        await Assertions.Expect(page.GetByTestId("run-status")).ToHaveAttributeAsync("data-status", status, new() { Timeout = timeoutMs });
    }

    /// <summary>The API answer for a caller with these roles (the test's own look behind the UI).</summary>
    public static async Task<JsonElement> GetAsync(ConsoleHost host, string path, params string[] roles)
    {
        ArgumentNullException.ThrowIfNull(host);
        using var http = Client(host, roles);
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static HttpClient Client(ConsoleHost host, string[] roles, string user = "test.observer")
    {
        ArgumentNullException.ThrowIfNull(host);
        var http = new HttpClient { BaseAddress = host.Address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", host.Tokens.Mint(user, roles, TimeSpan.FromMinutes(30)));
        return http;
    }

    /// <summary>Code -> amount of a run as the server computed it.</summary>
    public static async Task<Dictionary<string, long>> ServerAmountsAsync(ConsoleHost host, string runId)
    {
        var run = await GetAsync(host, $"api/runs/{runId}", "auditor");
        return run.GetProperty("allocations").EnumerateArray().ToDictionary(a => a.GetProperty("code").GetString()!, a => a.GetProperty("amountYuan").GetInt64(), StringComparer.Ordinal);
    }

    /// <summary>Appends one measured timing to the artifacts' timings file (read for the closing note).</summary>
    public static void Record(string what, TimeSpan elapsed)
    {
        lock (typeof(Journey))
        {
            File.AppendAllText(Path.Combine(ConsoleHost.Artifacts, "timings.txt"), string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:O}\t{what}\t{elapsed.TotalMilliseconds:F0} ms{Environment.NewLine}"));
        }
    }

    [GeneratedRegex("/runs/([0-9a-f]{32})$")]
    private static partial Regex RunUrl();
}
