using Microsoft.Playwright;

namespace GrantFlow.Console.Tests;

/// <summary>Open data in the console: anyone reads the published releases without signing in; a province sees each notice's receipt verified.</summary>
public abstract class DisclosureJourneyTests(ConsoleHost host)
{
    [Fact]
    public async Task Anyone_reads_and_searches_the_published_releases_and_a_province_sees_its_receipts_verified()
    {
        var visitor = await host.NewPageAsync(); // never signed in
        await visitor.GotoAsync("public");
        await Assertions.Expect(visitor.Locator("h1")).ToHaveTextAsync("转移支付下达情况公开");
        var releases = visitor.GetByTestId("public-releases");
        var resident = releases.Locator("tbody tr[data-program=resident-insurance][data-kind=advance][data-year='2026'][data-payer=central]"); // the demo's advance (other journeys add releases)
        await Assertions.Expect(resident).ToHaveCountAsync(1);
        await Assertions.Expect(resident).ToContainTextAsync("城乡居民基本医疗保险补助");
        await Assertions.Expect(resident).ToContainTextAsync("提前下达");
        await Assertions.Expect(resident).ToContainTextAsync("中央财政");
        await Assertions.Expect(resident.GetByTestId("public-published")).ToContainTextAsync("第 0 天");

        await resident.GetByTestId("public-open").ClickAsync();
        await Assertions.Expect(visitor.GetByTestId("public-integrity")).ToContainTextAsync("数据完整");
        await Assertions.Expect(visitor.GetByTestId("public-lines").Locator("tbody tr")).ToHaveCountAsync(31);
        await visitor.GetByTestId("public-search").FillAsync("广东");
        await Assertions.Expect(visitor.GetByTestId("public-lines").Locator("tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(visitor.GetByTestId("public-lines")).ToContainTextAsync("GF-2026-resident-insurance-44-");
        await ConsoleHost.ScreenshotAsync(visitor, "15-public");
        Assert.Equal(0, await visitor.GetByTestId("signed-in-user").CountAsync());

        // The province's inbox checks each notice's receipt against the published release.
        var bureau = await host.NewPageAsync();
        await Journey.SignInAsync(bureau, "bureau.44");
        var checks = bureau.GetByTestId("receipt-check");
        await Assertions.Expect(checks.First).ToBeVisibleAsync();
        await Assertions.Expect(bureau.Locator("[data-testid=receipt-check][data-verified=false]")).ToHaveCountAsync(0);
        await Assertions.Expect(checks.First).ToContainTextAsync("已核验：与台账记录及公开数据一致");
        Assert.True(host.ConsoleErrors.IsEmpty, string.Join(Environment.NewLine, host.ConsoleErrors));
    }
}

/// <summary>Open data on <c>grantflow serve</c>.</summary>
[Collection(ConsoleTestGroup.Name)]
public sealed class DisclosureJourneyOnLocalHost(ConsoleHost host) : DisclosureJourneyTests(host);

/// <summary>Open data on <c>grantflow serve --host functions</c>.</summary>
[Collection(FunctionsConsoleTestGroup.Name)]
public sealed class DisclosureJourneyOnFunctionsApp(FunctionsConsoleHost host) : DisclosureJourneyTests(host);
