using GrantFlow.Domain.Allocation;
using GrantFlow.Domain.Ledger;

namespace GrantFlow.Domain.Tests.Ledger;

/// <summary>What each kind of run writes to the ledger, from the domain's rules alone.</summary>
public class RunEntriesTests
{
    private static readonly RunEntryBasis Basis = new("0123456789abcdef0123456789abcdef", "resident-insurance", 2026, "review:a; approval:b", new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));

    private static IReadOnlyList<ProvinceAllocation> Allocation() =>
        GrantAllocator.Allocate(TestData.PerCapita(1_000_000), TestData.PerCapitaTable(("11", 700, 0.8m, 0), ("44", 300, 0.6m, 0))).Provinces;

    [Fact]
    public void An_advance_writes_one_entry_per_province_adding_up_to_the_envelope_and_a_remainder_the_same_as_remainders()
    {
        var advance = RunEntries.Releases(Basis, Allocation()).ToList();
        var remainder = RunEntries.Releases(Basis, Allocation(), LedgerEntryKinds.Remainder).ToList();

        Assert.Equal(["11", "44"], advance.Select(e => e.ProvinceCode));
        Assert.Equal(1_000_000, advance.Sum(e => e.AmountYuan));
        Assert.All(advance, e => Assert.Equal(LedgerEntryKinds.Advance, e.Kind));
        Assert.All(remainder, e => Assert.Equal(LedgerEntryKinds.Remainder, e.Kind));
        Assert.Equal("GF-2026-resident-insurance-44-01234567", advance[1].NoticeNumber);
        Assert.All(advance, e => Assert.Equal((Basis.Approvals, Basis.RecordedAt, string.Empty), (e.Approvals, e.RecordedAt, e.Hash)));
    }

    [Fact]
    public void A_settlement_tops_up_recovers_both_stored_positive_and_skips_a_province_that_did_not_move()
    {
        var rows = Allocation();
        var differences = new[] { rows[0] with { AmountYuan = 5_000 }, rows[1] with { AmountYuan = -3_000 }, rows[1] with { Code = "45", AmountYuan = 0 } };
        var figures = new Dictionary<string, (long Advanced, long Settled)> { ["11"] = (100, 5_100), ["44"] = (9_000, 6_000), ["45"] = (1, 1) };

        var entries = RunEntries.Settlement(Basis, differences, figures).ToList();

        Assert.Equal([("11", LedgerEntryKinds.SettlementTopUp, 5_000L), ("44", LedgerEntryKinds.SettlementRecovery, 3_000L)], entries.Select(e => (e.ProvinceCode, e.Kind, e.AmountYuan)));
        Assert.EndsWith("; advanced=9000; settled=6000", entries[1].ExplanationDigest, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pass_down_writes_each_county_and_the_retention_all_naming_the_entry_passed_down()
    {
        var counties = Allocation().Select(a => a with { Code = a.Code + "0101" }).ToList();

        var kept = RunEntries.PassDown(Basis, counties, "central/3:abc", "44", "GF-notice", 50_000, 0.05m, 1_050_000).ToList();
        var none = RunEntries.PassDown(Basis, counties, "central/3:abc", "44", "GF-notice", 0, 0m, 1_000_000).ToList();

        Assert.Equal(1_050_000, kept.Sum(e => e.AmountYuan));
        Assert.All(kept, e => Assert.Equal("central/3:abc", e.PassesDown));
        Assert.Equal((LedgerEntryKinds.Retention, "44", "GF-notice", 50_000L), (kept[^1].Kind, kept[^1].ProvinceCode, kept[^1].NoticeNumber, kept[^1].AmountYuan));
        Assert.DoesNotContain(none, e => e.Kind == LedgerEntryKinds.Retention);
    }

    [Fact]
    public void A_correction_reverses_the_original_entry_and_replaces_it_both_naming_it_and_the_reason()
    {
        var row = Allocation()[1];
        var original = RunEntries.Releases(Basis with { RunId = "fedcba9876543210fedcba9876543210" }, [row]).Single() with { Sequence = 7, Hash = "h7" };

        var entries = RunEntries.Correction(Basis, row, original, 123_456, "recounted");

        Assert.Equal([(LedgerEntryKinds.Reversal, original.AmountYuan, original.NoticeNumber), (LedgerEntryKinds.Advance, 123_456L, row.Code is var c ? $"GF-2026-resident-insurance-{c}-01234567" : null)], entries.Select(e => (e.Kind, e.AmountYuan, (string?)e.NoticeNumber)));
        Assert.All(entries, e => Assert.Equal(("fedcba9876543210fedcba9876543210/7:h7", "recounted"), (e.Corrects, e.Reason)));
    }
}
