using Microsoft.Playwright;

namespace GrantFlow.Console.Tests;

/// <summary>A province reads its inbox, acknowledges, disputes, and passes a notice down to its counties.</summary>
public abstract class ProvinceJourneyTests(ConsoleHost host)
{
    [Fact]
    public async Task A_province_acknowledges_a_notice_disputes_another_and_passes_one_down_approved_by_its_own_two_approvers()
    {
        var bureau = await host.NewPageAsync();
        await Journey.SignInAsync(bureau, "bureau.44");
        await Assertions.Expect(bureau.Locator("article.notice")).ToHaveCountAsync(3); // the demo's three advances
        await Assertions.Expect(bureau.GetByTestId("pending-receipts")).ToHaveTextAsync("3"); // none acknowledged yet
        var resident = bureau.Locator("article.notice").Filter(new() { HasText = "城乡居民基本医疗保险补助" });
        var shown = Journey.Yuan(await resident.GetByTestId("notice-amount").InnerTextAsync());
        await Assertions.Expect(resident).ToContainTextAsync("万元");
        await Assertions.Expect(resident).ToContainTextAsync("2101202"); // its expenditure budget code
        await ConsoleHost.ScreenshotAsync(bureau, "06-province-inbox");

        // The printable notice: number, amount in 元 and 万元, budget codes, the entry hash to verify it; no navigation printed.
        await resident.GetByTestId("print-notice").ClickAsync();
        await Assertions.Expect(bureau.GetByTestId("print-yuan")).ToHaveTextAsync(shown.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(bureau.GetByTestId("printable-notice")).ToContainTextAsync("2101202");
        await Assertions.Expect(bureau.GetByTestId("print-hash")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9a-f]{64}$"));
        await bureau.EmulateMediaAsync(new() { Media = Media.Print });
        await Assertions.Expect(bureau.Locator("header.top")).ToBeHiddenAsync();
        await ConsoleHost.ScreenshotAsync(bureau, "06b-printable-notice");
        await bureau.EmulateMediaAsync(new() { Media = Media.Screen });
        await bureau.GotoAsync("inbox");
        resident = bureau.Locator("article.notice").Filter(new() { HasText = "城乡居民基本医疗保险补助" });

        // Acknowledge, then pass it down (offered only once acknowledged).
        await Assertions.Expect(resident.GetByTestId("pass-down")).ToHaveCountAsync(0);
        await resident.GetByTestId("acknowledge").ClickAsync();
        await Journey.ConfirmAsync(bureau, "确认广东已收到通知");
        await Assertions.Expect(resident.GetByTestId("receipt")).ToContainTextAsync("bureau.44");

        // Dispute another notice.
        var medical = bureau.Locator("article.notice").Filter(new() { HasText = "医疗救助" });
        await medical.GetByTestId("dispute").ClickAsync();
        await medical.GetByTestId("dispute-reason").FillAsync("援助人数应以民政部门年末数为准。");
        await medical.GetByTestId("send-dispute").ClickAsync();
        await Assertions.Expect(medical.GetByTestId("dispute-status")).ToContainTextAsync("待处理");
        var disputed = await medical.GetAttributeAsync("data-notice");

        // After a reload the dispute is still there, and cannot be raised twice.
        await bureau.ReloadAsync();
        medical = bureau.Locator($"article.notice[data-notice='{disputed}']");
        await Assertions.Expect(medical.GetByTestId("dispute-status")).ToContainTextAsync("援助人数应以民政部门年末数为准。");
        await Assertions.Expect(medical.GetByTestId("dispute")).ToHaveCountAsync(0);

        // The centre upholds it with an amount, from its chase page; the province sees who answered, why, and the correction.
        var official = await host.NewPageAsync();
        await Journey.SignInAsync(official, "official.li");
        await official.GotoAsync("chases");
        var row = official.Locator($"tr[data-notice='{disputed}']");
        await Assertions.Expect(row).ToContainTextAsync("广东");
        await row.GetByTestId("answer-dispute").ClickAsync();
        await row.GetByTestId("answer-reason").FillAsync("经核实，按民政部门年末数更正。");
        await row.GetByTestId("answer-amount").FillAsync("123456789");
        await row.GetByTestId("uphold-dispute").ClickAsync();
        await Assertions.Expect(row).ToContainTextAsync("已采纳");
        await bureau.ReloadAsync();
        medical = bureau.Locator($"article.notice[data-notice='{disputed}']");
        await Assertions.Expect(medical.GetByTestId("dispute-status")).ToContainTextAsync("已采纳");
        await Assertions.Expect(medical.GetByTestId("dispute-status")).ToContainTextAsync("official.li");
        await Assertions.Expect(medical.GetByTestId("dispute-status")).ToContainTextAsync("经核实，按民政部门年末数更正。");
        await Assertions.Expect(medical.GetByTestId("dispute-status")).ToContainTextAsync("123,456,789");
        await Assertions.Expect(medical.GetByTestId("dispute-status").Locator("a")).ToContainTextAsync("更正测算");

        await resident.GetByTestId("pass-down").ClickAsync();
        await bureau.GetByTestId("retention").FillAsync("0.05");
        var kept = shown / 20; // floor(amount x 0.05)
        await Assertions.Expect(bureau.GetByTestId("retention-yuan")).ToHaveTextAsync(kept.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(bureau.GetByTestId("whatif-total")).ToHaveTextAsync((shown - kept).ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        var whatIf = await Journey.AmountsAsync(bureau);
        Assert.True(whatIf.Count > 50, $"{whatIf.Count} counties"); // Guangdong's counties of the bundled data
        Assert.All(whatIf.Keys, code => Assert.StartsWith("44", code, StringComparison.Ordinal));
        await ConsoleHost.ScreenshotAsync(bureau, "07-pass-down-what-if");
        await bureau.GetByTestId("start-pass-down").ClickAsync();
        await Journey.ConfirmAsync(bureau, $"将向 {whatIf.Count} 个县（区）分解下达");
        var runId = await Journey.RunIdAsync(bureau);
        await Journey.WaitForStatusAsync(bureau, "awaiting-review");
        Assert.Equal(whatIf, await Journey.ServerAmountsAsync(host, runId));

        // The province's own reviewer and approver (central approvers cannot decide a pass-down).
        foreach (var (user, stage) in new[] { ("reviewer.44", "awaiting-review"), ("approver.44", "awaiting-approval") })
        {
            var page = await host.NewPageAsync();
            await Journey.SignInAsync(page, user);
            await page.Locator($"tr[data-run='{runId}'] a").ClickAsync();
            await Journey.WaitForStatusAsync(page, stage);
            await page.GetByTestId("approve").ClickAsync();
            await Journey.ConfirmAsync(page, "个县（区）");
        }

        await Journey.WaitForStatusAsync(bureau, "completed");
        await bureau.GotoAsync("inbox");
        await Assertions.Expect(bureau.Locator("article.notice").Filter(new() { HasText = "城乡居民基本医疗保险补助" })).ToContainTextAsync("已分解");
        await Assertions.Expect(bureau.GetByTestId("own-pass-downs").Locator($"tr[data-run='{runId}']")).ToContainTextAsync("已完成"); // its own pass-downs

        // A county reads and acknowledges what the province passed down to it.
        var county = await host.NewPageAsync();
        await Journey.SignInAsync(county, "county.440101");
        var received = county.Locator("article.notice");
        await Assertions.Expect(received).ToHaveCountAsync(1);
        Assert.Equal(whatIf["440101"], Journey.Yuan(await received.GetByTestId("notice-amount").InnerTextAsync()));
        await received.GetByTestId("acknowledge").ClickAsync();
        await Journey.ConfirmAsync(county, "确认本县（440101）已收到通知");
        await Assertions.Expect(received.GetByTestId("receipt")).ToContainTextAsync("county.440101");
        Assert.True(host.ConsoleErrors.IsEmpty, string.Join(Environment.NewLine, host.ConsoleErrors));
    }
}

/// <summary>The province's journey on <c>grantflow serve</c>.</summary>
[Collection(ConsoleTestGroup.Name)]
public sealed class ProvinceJourneyOnLocalHost(ConsoleHost host) : ProvinceJourneyTests(host);

/// <summary>The province's journey on <c>grantflow serve --host functions</c>.</summary>
[Collection(FunctionsConsoleTestGroup.Name)]
public sealed class ProvinceJourneyOnFunctionsApp(FunctionsConsoleHost host) : ProvinceJourneyTests(host);
