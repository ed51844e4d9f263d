using Microsoft.Playwright;

namespace GrantFlow.Console.Tests;

/// <summary>
/// A prefecture's bureau (江苏02市, which the demo's province passed a grant to) acknowledges its notice and passes it to
/// its counties in the console; its own reviewer and approver decide; the county reads what came down.
/// </summary>
public abstract class PrefectureJourneyTests(ConsoleHost host)
{
    [Fact]
    public async Task A_prefecture_acknowledges_its_notice_passes_it_to_its_counties_and_its_own_approvers_decide()
    {
        var bureau = await host.NewPageAsync();
        await Journey.SignInAsync(bureau, "bureau.3202");
        var notice = bureau.Locator("article.notice");
        await Assertions.Expect(notice).ToHaveCountAsync(1); // the demo's service-capacity, passed down by 江苏
        await Assertions.Expect(bureau.Locator("h1")).ToContainTextAsync("江苏 3202");
        await Assertions.Expect(notice).ToContainTextAsync("分解下达");
        await Assertions.Expect(notice.GetByTestId("pass-down")).ToHaveCountAsync(0); // acknowledged first
        var amount = Journey.Yuan(await notice.GetByTestId("notice-amount").InnerTextAsync());
        await notice.GetByTestId("acknowledge").ClickAsync();
        await Journey.ConfirmAsync(bureau, "确认本市（3202）已收到通知");
        await Assertions.Expect(notice.GetByTestId("receipt")).ToContainTextAsync("bureau.3202");

        await notice.GetByTestId("pass-down").ClickAsync();
        await Assertions.Expect(bureau.Locator("h1")).ToHaveTextAsync("分解下达到县");
        await Assertions.Expect(bureau.GetByTestId("to-prefectures")).ToHaveCountAsync(0); // a prefecture passes to its counties only
        await bureau.GetByTestId("retention").FillAsync("0.01");
        var kept = amount / 100;
        await Assertions.Expect(bureau.GetByTestId("whatif-total")).ToHaveTextAsync((amount - kept).ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        var whatIf = await Journey.AmountsAsync(bureau);
        Assert.Equal(12, whatIf.Count);
        Assert.All(whatIf.Keys, code => Assert.StartsWith("3202", code, StringComparison.Ordinal));
        await bureau.GetByTestId("start-pass-down").ClickAsync();
        await Journey.ConfirmAsync(bureau, "将向 12 个县（区）分解下达");
        var runId = await Journey.RunIdAsync(bureau);
        await Journey.WaitForStatusAsync(bureau, "awaiting-review");
        Assert.Equal(whatIf, await Journey.ServerAmountsAsync(host, runId));

        foreach (var (user, stage) in new[] { ("reviewer.3202", "awaiting-review"), ("approver.3202", "awaiting-approval") })
        {
            var page = await host.NewPageAsync();
            await Journey.SignInAsync(page, user);
            await page.Locator($"tr[data-run='{runId}'] a").ClickAsync();
            await Journey.WaitForStatusAsync(page, stage);
            await page.GetByTestId("approve").ClickAsync();
            await Journey.ConfirmAsync(page, "个县（区）");
        }

        await Journey.WaitForStatusAsync(bureau, "completed");
        var county = await host.NewPageAsync();
        await Journey.SignInAsync(county, "county.320201");
        var received = county.Locator("article.notice");
        await Assertions.Expect(received).ToHaveCountAsync(1);
        Assert.Equal(whatIf["320201"], Journey.Yuan(await received.GetByTestId("notice-amount").InnerTextAsync()));
        await ConsoleHost.ScreenshotAsync(county, "17-county-notice-through-prefecture");
        Assert.True(host.ConsoleErrors.IsEmpty, string.Join(Environment.NewLine, host.ConsoleErrors));
    }
}

/// <summary>The prefecture's journey on <c>grantflow serve</c>.</summary>
[Collection(ConsoleTestGroup.Name)]
public sealed class PrefectureJourneyOnLocalHost(ConsoleHost host) : PrefectureJourneyTests(host);

/// <summary>The prefecture's journey on <c>grantflow serve --host functions</c>.</summary>
[Collection(FunctionsConsoleTestGroup.Name)]
public sealed class PrefectureJourneyOnFunctionsApp(FunctionsConsoleHost host) : PrefectureJourneyTests(host);
