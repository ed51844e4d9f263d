using GrantFlow.Domain.Ledger;

namespace GrantFlow.Domain.Tests.Ledger;

/// <summary>The links of a county yuan's path up to the centre: each one checked, each failure named.</summary>
public class LedgerTraceTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private static LedgerEntry Linked(string runId, string code, string kind, long amount, string? passesDown) =>
        LedgerChain.Link(
        [
            new LedgerEntry
            {
                RunId = runId, Sequence = 0, Program = "medical-assistance", FiscalYear = 2026, ProvinceCode = code, Kind = kind, AmountYuan = amount,
                NoticeNumber = $"GF-{code}", FormulaVersion = "factor/1", ExplanationDigest = "d", Approvals = "review:a;approval:b", RecordedAt = At,
                PassesDown = passesDown, PreviousHash = string.Empty, Hash = string.Empty,
            },
        ])[0];

    private static (LedgerEntry Central, LedgerEntry Prefecture, LedgerEntry County) Path()
    {
        var central = Linked("central", "44", LedgerEntryKinds.Advance, 1_000, null);
        var prefecture = Linked("province", "4401", LedgerEntryKinds.PassDown, 600, EntryReference.Of(central).ToString());
        var county = Linked("prefecture", "440101", LedgerEntryKinds.PassDown, 250, EntryReference.Of(prefecture).ToString());
        return (central, prefecture, county);
    }

    [Fact]
    public void A_sound_path_from_a_county_to_the_centre_has_no_problems()
    {
        var (central, prefecture, county) = Path();

        Assert.Empty(LedgerTrace.LinkProblems(county, EntryReference.Of(prefecture), prefecture));
        Assert.Empty(LedgerTrace.LinkProblems(prefecture, EntryReference.Of(central), central));
        Assert.Empty(LedgerTrace.RootProblems(central));
        Assert.True(EntryReference.TryParse(county.PassesDown, out var parsed) && parsed == EntryReference.Of(prefecture));
    }

    [Fact]
    public void Each_broken_link_is_named()
    {
        var (central, prefecture, county) = Path();
        var named = EntryReference.Of(prefecture);

        Assert.Contains("does not exist", Assert.Single(LedgerTrace.LinkProblems(county, named, null)).Message, StringComparison.Ordinal);
        Assert.Contains("was altered", Assert.Single(LedgerTrace.LinkProblems(county, named, prefecture with { AmountYuan = 700 })).Message, StringComparison.Ordinal);
        Assert.Contains("by hash", Assert.Single(LedgerTrace.LinkProblems(county, named with { Hash = "ab" }, prefecture)).Message, StringComparison.Ordinal);
        var neighbour = Linked("province", "4402", LedgerEntryKinds.PassDown, 600, EntryReference.Of(central).ToString());
        var reversal = Linked("central", "44", LedgerEntryKinds.Reversal, 1_000, null);
        var nextYear = LedgerChain.Link([prefecture with { FiscalYear = 2027 }])[0];

        Assert.Contains("is not under 4402", Assert.Single(LedgerTrace.LinkProblems(county, EntryReference.Of(neighbour), neighbour)).Message, StringComparison.Ordinal);
        Assert.Contains("a reversal entry", Assert.Single(LedgerTrace.LinkProblems(prefecture, EntryReference.Of(reversal), reversal)).Message, StringComparison.Ordinal);
        Assert.Contains("the entry it passes down is medical-assistance 2027", Assert.Single(LedgerTrace.LinkProblems(county, EntryReference.Of(nextYear), nextYear)).Message, StringComparison.Ordinal);
        Assert.Contains("traces back to nothing", Assert.Single(LedgerTrace.RootProblems(county with { PassesDown = null })).Message, StringComparison.Ordinal);
        Assert.Contains("longer than 3 links", Assert.Single(LedgerTrace.RootProblems(county)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run/3:abc", true)]
    [InlineData("run/0:abc", false)]
    [InlineData("run/-1:abc", false)]
    [InlineData("run/3", false)]
    [InlineData("run/x:abc", false)]
    [InlineData("/3:abc", false)]
    [InlineData(null, false)]
    public void A_reference_is_read_strictly(string? text, bool readable) =>
        Assert.Equal(readable, EntryReference.TryParse(text, out _));
}

/// <summary>One table of the kinds' Chinese names for the published files, the exports and the console.</summary>
public class KindNamesTests
{
    [Fact]
    public void Every_entry_and_run_kind_has_a_chinese_name()
    {
        foreach (var kind in LedgerEntryKinds.All.Concat(["settlement", "correction"]))
        {
            Assert.Matches(@"^\p{IsCJKUnifiedIdeographs}+$", KindNames.Chinese(kind));
        }

        Assert.Equal(LedgerEntryKinds.All.Count + 2, LedgerEntryKinds.All.Concat(["settlement", "correction"]).Select(KindNames.Chinese).Distinct().Count()); // no two kinds read alike
        Assert.Equal("本级留用", KindNames.Chinese(LedgerEntryKinds.Retention)); // a province's or a prefecture's: what the payer keeps
    }
}
