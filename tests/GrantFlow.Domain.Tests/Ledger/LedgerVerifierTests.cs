using System.Globalization;
using GrantFlow.Domain.Ledger;

namespace GrantFlow.Domain.Tests.Ledger;

public class LedgerVerifierTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Five entries of 100, 200, ... yuan; exact shares whole, so each amount is its own explanation.</summary>
    private static List<StoredLedgerEntry> Stream()
    {
        var entries = Enumerable.Range(1, 5).Select(i => new LedgerEntry
        {
            RunId = "run",
            Sequence = 0,
            Program = "service-capacity",
            FiscalYear = 2026,
            ProvinceCode = (10 + i).ToString(CultureInfo.InvariantCulture),
            Kind = LedgerEntryKinds.Advance,
            AmountYuan = i * 100,
            NoticeNumber = $"N{i}",
            FormulaVersion = "factor/1",
            ExplanationDigest = $"exact={i * 300}/3; floor=0; bound=False; down={i * 100}; adj=0",
            Approvals = "review:a;approval:b",
            RecordedAt = At,
            PreviousHash = string.Empty,
            Hash = string.Empty,
        });
        return LedgerChain.Link(entries).Select(e => new StoredLedgerEntry(Key(e.Sequence), e)).ToList();
    }

    private static string Key(int sequence) => sequence.ToString("D6", CultureInfo.InvariantCulture);

    private static LedgerAnchor Anchor(List<StoredLedgerEntry> s) => new(s[^1].Entry.Hash, s.Count, 1_500);

    [Fact]
    public void An_untouched_stream_is_intact()
    {
        var stream = Stream();

        var result = LedgerVerifier.Verify("run", stream, Anchor(stream));

        Assert.True(result.Intact);
        Assert.Equal(5, result.EntriesChecked);
    }

    [Fact]
    public void An_edited_amount_is_named_as_an_edit_and_a_wrong_amount()
    {
        var stream = Stream();
        var anchor = Anchor(stream);
        stream[2] = stream[2] with { Entry = stream[2].Entry with { AmountYuan = 301 } };

        var problems = LedgerVerifier.Verify("run", stream, anchor).Problems;

        Assert.Contains(problems, p => p.RowKey == "000003" && p.Kind == LedgerProblem.Edited);
        Assert.Contains(problems, p => p.RowKey == "000003" && p.Kind == LedgerProblem.Amount);
    }

    [Fact]
    public void A_deleted_row_is_named()
    {
        var stream = Stream();
        var anchor = Anchor(stream);
        stream.RemoveAt(1);

        var problems = LedgerVerifier.Verify("run", stream, anchor).Problems;

        Assert.Contains(problems, p => p.Kind == LedgerProblem.Deleted && p.Message.Contains("entry 2 is missing", StringComparison.Ordinal));
    }

    [Fact]
    public void A_deleted_last_row_is_caught_by_the_anchor()
    {
        var stream = Stream();
        var anchor = Anchor(stream);
        stream.RemoveAt(4);

        var problems = LedgerVerifier.Verify("run", stream, anchor).Problems;

        Assert.Contains(problems, p => p.Kind == LedgerProblem.Deleted);
        Assert.Contains(problems, p => p.Kind == LedgerProblem.Anchor);
    }

    [Fact]
    public void An_inserted_row_is_named()
    {
        var stream = Stream();
        var anchor = Anchor(stream);
        stream.Add(new StoredLedgerEntry("000003a", stream[2].Entry));

        var problems = LedgerVerifier.Verify("run", stream, anchor).Problems;

        Assert.Contains(problems, p => p.RowKey == "000003a" && p.Kind == LedgerProblem.Inserted);
    }

    [Fact]
    public void A_correctly_chained_appended_row_is_caught_by_the_anchor()
    {
        var stream = Stream();
        var anchor = Anchor(stream);
        var forged = LedgerChain.Link(stream.Select(s => s.Entry).Append(stream[0].Entry with { ProvinceCode = "99", AmountYuan = 1 }))[^1];
        stream.Add(new StoredLedgerEntry(Key(6), forged));

        var problems = LedgerVerifier.Verify("run", stream, anchor).Problems;

        Assert.Contains(problems, p => p.Kind == LedgerProblem.Inserted && p.Message.Contains("anchors 5", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Kind == LedgerProblem.Anchor);
    }

    [Fact]
    public void Swapped_rows_are_named_as_reordered()
    {
        var stream = Stream();
        var anchor = Anchor(stream);
        (stream[1], stream[3]) = (stream[1] with { Entry = stream[3].Entry with { Sequence = 2 } }, stream[3] with { Entry = stream[1].Entry with { Sequence = 4 } });

        var problems = LedgerVerifier.Verify("run", stream, anchor).Problems;

        Assert.Contains(problems, p => p.RowKey == "000002" && p.Kind == LedgerProblem.Reordered && p.Message.Contains("entry 4", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.RowKey == "000004" && p.Kind == LedgerProblem.Reordered && p.Message.Contains("entry 2", StringComparison.Ordinal));
    }

    [Fact]
    public void A_rewritten_chain_with_valid_hashes_is_caught_by_the_anchored_head()
    {
        var stream = Stream();
        var anchor = Anchor(stream);
        var rewritten = LedgerChain.Link(stream.Select(s => s.Entry).Select((e, i) => i == 0 ? e with { AmountYuan = 99, ExplanationDigest = "exact=99/1; adj=0" } : e));
        var tampered = rewritten.Select(e => new StoredLedgerEntry(Key(e.Sequence), e)).ToList();

        var problems = LedgerVerifier.Verify("run", tampered, anchor).Problems;

        Assert.Contains(problems, p => p.Kind == LedgerProblem.Anchor);
        Assert.Contains(problems, p => p.Kind == LedgerProblem.Amount && p.Message.Contains("add up to", StringComparison.Ordinal));
    }
}
