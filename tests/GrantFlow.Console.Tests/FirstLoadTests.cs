using System.Diagnostics;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace GrantFlow.Console.Tests;

/// <summary>
/// The console's first load on a cold browser: what it transfers (compressed by Accept-Encoding) and how long until
/// the sign-in page renders; then the same page warm (fingerprinted files from the cache). The times are reported
/// (speed goals are benchmarks' business); the bytes are bounded.
/// </summary>
public abstract class FirstLoadTests(ConsoleHost host, ITestOutputHelper output)
{
    /// <summary>What a first load may transfer (the uncompressed framework alone is over 20 MB).</summary>
    private const long MaxFirstLoadBytes = 5 * 1024 * 1024;

    [Fact]
    public async Task A_cold_first_load_transfers_at_most_5_MB_compressed_and_a_warm_one_almost_nothing()
    {
        var page = await host.NewPageAsync();
        var transferred = new System.Collections.Concurrent.ConcurrentBag<(string Url, long Bytes, string? Encoding)>();
        var reading = new System.Collections.Concurrent.ConcurrentBag<Task>();
        page.RequestFinished += (_, request) => reading.Add(MeasureAsync(request));
        async Task MeasureAsync(IRequest request)
        {
            var sizes = await request.SizesAsync();
            var response = await request.ResponseAsync();
            transferred.Add((request.Url, Math.Max(0, sizes.ResponseBodySize), response is null ? null : await response.HeaderValueAsync("content-encoding")));
        }

        var cold = Stopwatch.StartNew();
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("登录");
        cold.Stop();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Task.WhenAll(reading);
        var coldBytes = transferred.Sum(t => t.Bytes);
        var largest = transferred.OrderByDescending(t => t.Bytes).Take(5).Select(t => $"{new Uri(t.Url).AbsolutePath} {t.Bytes:N0} ({t.Encoding ?? "identity"})");
        output.WriteLine($"cold first render {cold.ElapsedMilliseconds:N0} ms, {transferred.Count} requests, {coldBytes:N0} bytes; largest: {string.Join("; ", largest)}");
        Assert.True(coldBytes <= MaxFirstLoadBytes, $"{coldBytes:N0} bytes on a first load: {string.Join("; ", largest)}");
        Assert.Contains(transferred, t => t.Url.Contains("System.Private.CoreLib", StringComparison.Ordinal) && t.Encoding is "br" or "gzip");

        transferred.Clear();
        reading.Clear();
        var warm = Stopwatch.StartNew();
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("登录");
        warm.Stop();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Task.WhenAll(reading);
        output.WriteLine($"warm render {warm.ElapsedMilliseconds:N0} ms, {transferred.Count} requests ({transferred.Count(t => t.Bytes == 0)} from the cache), {transferred.Sum(t => t.Bytes):N0} bytes");
        Assert.True(transferred.Sum(t => t.Bytes) < coldBytes / 10, $"a warm load transferred {transferred.Sum(t => t.Bytes):N0} bytes");
    }
}

/// <summary>The first load from <c>grantflow serve</c>.</summary>
[Collection(ConsoleTestGroup.Name)]
public sealed class FirstLoadOnLocalHost(ConsoleHost host, ITestOutputHelper output) : FirstLoadTests(host, output);

/// <summary>The first load from <c>grantflow serve --host functions</c>.</summary>
[Collection(FunctionsConsoleTestGroup.Name)]
public sealed class FirstLoadOnFunctionsApp(FunctionsConsoleHost host, ITestOutputHelper output) : FirstLoadTests(host, output);
