using System.Globalization;
using GrantFlow.Domain.Disclosure;
using GrantFlow.Domain.Ledger;
using GrantFlow.Domain.Receipts;

namespace GrantFlow.Domain.Tests.Receipts;

public class ReceiptVerifierTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);

    private static IReadOnlyList<LedgerEntry> Run(string runId, int provinces, long scale = 100) => LedgerChain.Link(Enumerable.Range(1, provinces).Select(i => new LedgerEntry
    {
        RunId = runId,
        Sequence = 0,
        Program = "service-capacity",
        FiscalYear = 2026,
        ProvinceCode = (10 + i).ToString(CultureInfo.InvariantCulture),
        Kind = LedgerEntryKinds.Advance,
        AmountYuan = i * scale,
        NoticeNumber = $"GF-2026-service-capacity-{10 + i}-{runId}",
        FormulaVersion = "factor/1",
        ExplanationDigest = "d",
        Approvals = "review:a;approval:b",
        RecordedAt = At,
        PreviousHash = string.Empty,
        Hash = string.Empty,
    }));

    private static PublishedRelease Published(IReadOnlyList<LedgerEntry> entries, DateTimeOffset? publishedAt = null) => new()
    {
        RunId = entries[0].RunId,
        RunKind = "advance",
        Payer = "central",
        PayerName = "中央财政",
        Program = "service-capacity",
        ProgramName = "服务能力",
        FiscalYear = 2026,
        ApprovedAt = At,
        PublishedAt = publishedAt ?? At.AddMinutes(1),
        ChainHead = entries[^1].Hash,
        ReceiptRoot = NoticeReceipt.RootOf(NoticeReceipt.LeavesOf(entries)),
        TotalYuan = entries.Sum(e => e.AmountYuan),
        Lines = [.. entries.Select(e => new PublishedLine(e.Sequence, e.ProvinceCode, "省", e.Kind, e.AmountYuan, e.NoticeNumber, e.Hash))],
    };

    private static ReceiptClaim Claim(IReadOnlyList<LedgerEntry> entries, int index)
    {
        var entry = entries[index];
        var receipt = NoticeReceipt.ForRun(NoticeReceipt.LeavesOf(entries))[entry.Sequence];
        return new ReceiptClaim(entry.RunId, entry.NoticeNumber, entry.ProvinceCode, entry.Kind, entry.AmountYuan, entry.Hash, receipt);
    }

    private static string Codes(ReceiptCheck check) => string.Join(",", check.Findings.Select(f => f.Code));

    [Fact]
    public void A_genuine_notice_is_verified_alone_and_against_its_publication()
    {
        var run = Run("runA", 31);
        for (var i = 0; i < run.Count; i++)
        {
            Assert.True(ReceiptVerifier.Verify(Claim(run, i)).Verified);
            var check = ReceiptVerifier.Verify(Claim(run, i), Published(run));
            Assert.True(check.Verified, Codes(check));
            Assert.True(check.CheckedAgainstPublication);
        }
    }

    [Fact]
    public void A_changed_amount_is_named()
    {
        var run = Run("runA", 5);
        var claim = Claim(run, 2) with { AmountYuan = 30_000 };
        var check = ReceiptVerifier.Verify(claim, Published(run));
        Assert.False(check.Verified);
        var finding = Assert.Single(check.Findings);
        Assert.Equal(ReceiptFindings.NoticeChanged, finding.Code);
        Assert.Contains("amount 30,000 yuan", finding.Message, StringComparison.Ordinal);
        Assert.Equal(ReceiptFindings.ProofMismatch, Assert.Single(ReceiptVerifier.Verify(claim).Findings).Code);
    }

    [Fact]
    public void A_changed_root_is_named()
    {
        var run = Run("runA", 5);
        var claim = Claim(run, 1);
        claim = claim with { Receipt = claim.Receipt! with { Root = new string('a', 64) } };
        var finding = Assert.Single(ReceiptVerifier.Verify(claim, Published(run)).Findings);
        Assert.Equal(ReceiptFindings.RootChanged, finding.Code);
        Assert.Contains("root was changed", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_proof_from_another_run_is_named()
    {
        var run = Run("runA", 5);
        var other = Run("runB", 7, scale: 300);
        var claim = Claim(run, 1) with { Receipt = Claim(other, 1).Receipt };
        var finding = Assert.Single(ReceiptVerifier.Verify(claim, Published(run)).Findings);
        Assert.Equal(ReceiptFindings.ProofMismatch, finding.Code);
        Assert.Contains("another run", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_published_file_edited_after_the_fact_is_named()
    {
        var run = Run("runA", 5);
        var published = Published(run);
        var edited = published with { Lines = [.. published.Lines.Select(l => l.Sequence == 4 ? l with { AmountYuan = l.AmountYuan + 1 } : l)] };
        var finding = Assert.Single(ReceiptVerifier.Verify(Claim(run, 0), edited).Findings);
        Assert.Equal(ReceiptFindings.PublishedEdited, finding.Code);
        Assert.Contains("edited after publication", finding.Message, StringComparison.Ordinal);

        // An edit that also restates the root: the notice's receipt no longer leads to the published root.
        var restated = edited with { ReceiptRoot = edited.ComputedRoot() };
        Assert.Equal(ReceiptFindings.RootNotPublished, Assert.Single(ReceiptVerifier.Verify(Claim(run, 0), restated).Findings).Code);
    }

    [Fact]
    public void A_notice_without_a_receipt_or_with_a_malformed_one_is_not_verified()
    {
        var run = Run("runA", 3);
        Assert.Equal(ReceiptFindings.NoReceipt, Assert.Single(ReceiptVerifier.Verify(Claim(run, 0) with { Receipt = null }).Findings).Code);
        var claim = Claim(run, 0);
        var malformed = claim with { Receipt = claim.Receipt! with { Path = ["zz"] } };
        Assert.Equal(ReceiptFindings.Malformed, Assert.Single(ReceiptVerifier.Verify(malformed).Findings).Code);
    }

    [Fact]
    public void A_release_published_more_than_twenty_days_after_approval_is_late()
    {
        var run = Run("runA", 2);
        Assert.False(Published(run, At.AddDays(20)).Late);
        Assert.Equal(20, Published(run, At.AddDays(20)).DaysToPublish);
        Assert.True(Published(run, At.AddDays(20).AddSeconds(1)).Late);
    }
}
