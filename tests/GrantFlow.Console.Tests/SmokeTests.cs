using Microsoft.Playwright;

namespace GrantFlow.Console.Tests;

[Collection(ConsoleTestGroup.Name)]
public sealed class SmokeTests(ConsoleHost host)
{
    [Fact]
    public async Task The_sign_in_page_renders_in_chinese()
    {
        var page = await host.NewPageAsync();
        await page.GotoAsync("/");
        await page.WaitForTimeoutAsync(4000);
        Assert.True(host.ConsoleErrors.IsEmpty, string.Join("\n", host.ConsoleErrors));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "登录" })).ToBeVisibleAsync();
        await ConsoleHost.ScreenshotAsync(page, "00-sign-in");
    }
}
