using Microsoft.Playwright;

namespace GrantFlow.Console.Tests;

/// <summary>A finance official's other work: the chase list and overdue pass-downs, a correction, filtering runs.</summary>
public abstract class FinanceJourneyTests(ConsoleHost host)
{
    [Fact]
    public async Task An_official_reads_the_chase_list_filters_runs_and_starts_a_correction_which_a_reviewer_rejects_with_a_reason_and_a_settlement()
    {
        var official = await host.NewPageAsync();
        await Journey.SignInAsync(official, "official.li");
        await official.GetByTestId("filter-program").SelectOptionAsync("medical-assistance");
        await official.GetByTestId("filter-year").FillAsync("2026");
        await official.GetByRole(AriaRole.Button, new() { Name = "查询" }).ClickAsync();
        var row = official.GetByTestId("runs").Locator("tbody tr[data-status=completed]");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        var centralRun = await row.GetAttributeAsync("data-run");

        // Found by a notice's number (as a province quotes it on the phone).
        await official.GetByTestId("find-number").FillAsync($"GF-2026-medical-assistance-44-{centralRun![..8]}");
        await official.GetByTestId("find").ClickAsync();
        await Assertions.Expect(official.GetByTestId("run-status")).ToHaveAttributeAsync("data-status", "completed");
        Assert.EndsWith($"runs/{centralRun}", official.Url, StringComparison.Ordinal);

        await official.GetByRole(AriaRole.Link, new() { Name = "催办" }).ClickAsync();
        await Assertions.Expect(official.GetByTestId("chases").Locator("tbody tr").First).ToBeVisibleAsync(); // notices not yet acknowledged
        await Assertions.Expect(official.GetByTestId("overdue")).ToBeVisibleAsync();
        await ConsoleHost.ScreenshotAsync(official, "11-chase-list");

        await official.GetByRole(AriaRole.Link, new() { Name = "清算与更正" }).ClickAsync();
        await official.GetByTestId("corrects-run").FillAsync(centralRun!);
        await official.GetByTestId("correct-province").FillAsync("11");
        await official.GetByTestId("correct-amount").FillAsync("331000000");
        await official.GetByTestId("correct-reason").FillAsync("北京救助人数复核后调减。");
        await official.GetByTestId("start-correction").ClickAsync();
        var correction = await Journey.RunIdAsync(official);
        await Journey.WaitForStatusAsync(official, "awaiting-review");
        await Assertions.Expect(official.GetByTestId("run-facts")).ToContainTextAsync("更正");

        // The reviewer rejects it: a rejection needs a reason (the server says so), then it is recorded.
        var reviewer = await host.NewPageAsync();
        await Journey.SignInAsync(reviewer, "reviewer.wang");
        await reviewer.GotoAsync($"runs/{correction}");
        await reviewer.GetByTestId("reject").ClickAsync();
        await Assertions.Expect(reviewer.Locator(".decide").GetByTestId("problem")).ToContainTextAsync("理由：此项必填");
        await reviewer.GetByTestId("reason").FillAsync("调减依据不足，请补充民政部门核定数。");
        await reviewer.GetByTestId("reject").ClickAsync();
        await Journey.WaitForStatusAsync(official, "rejected");
        await Assertions.Expect(official.GetByTestId("decisions")).ToContainTextAsync("调减依据不足");

        // A settlement of a year against actual figures (here the bundled data) goes for review like any run.
        await official.GotoAsync("adjustments");
        await official.GetByTestId("program-s").SelectOptionAsync("service-capacity");
        await official.GetByTestId("start-settlement").ClickAsync();
        await Journey.RunIdAsync(official);
        await Journey.WaitForStatusAsync(official, "awaiting-review");
        await Assertions.Expect(official.GetByTestId("run-facts")).ToContainTextAsync("清算");

        // A link to a run opened before signing in leads to that run once signed in.
        var linked = await host.NewPageAsync();
        await linked.GotoAsync($"runs/{centralRun}");
        await Assertions.Expect(linked).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("returnUrl=runs"));
        await linked.Locator("#user").SelectOptionAsync("official.li");
        await linked.GetByTestId("sign-in").ClickAsync();
        await Assertions.Expect(linked.GetByTestId("run-status")).ToHaveAttributeAsync("data-status", "completed");
        Assert.EndsWith($"runs/{centralRun}", linked.Url, StringComparison.Ordinal);

        // A refused input is said in Chinese from the API's code, naming the field.
        await official.GotoAsync("adjustments");
        await official.GetByTestId("corrects-run").FillAsync("not-a-run");
        await official.GetByTestId("correct-province").FillAsync("11");
        await official.GetByTestId("correct-reason").FillAsync("x");
        await official.GetByTestId("start-correction").ClickAsync();
        await Assertions.Expect(official.GetByTestId("problem")).ToContainTextAsync("批次：“not-a-run”不是有效的批次编号");
        Assert.True(host.ConsoleErrors.IsEmpty, string.Join(Environment.NewLine, host.ConsoleErrors));
    }
}

/// <summary>The finance official's other work on <c>grantflow serve</c>.</summary>
[Collection(ConsoleTestGroup.Name)]
public sealed class FinanceJourneyOnLocalHost(ConsoleHost host) : FinanceJourneyTests(host);

/// <summary>The finance official's other work on <c>grantflow serve --host functions</c>.</summary>
[Collection(FunctionsConsoleTestGroup.Name)]
public sealed class FinanceJourneyOnFunctionsApp(FunctionsConsoleHost host) : FinanceJourneyTests(host);
