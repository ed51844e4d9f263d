using System.Globalization;
using GrantFlow.Domain.Disclosure;

namespace GrantFlow.Domain.Receipts;

/// <summary>What a notice says of its entry (the fields its receipt's leaf is made of) and its receipt.</summary>
public sealed record ReceiptClaim(string RunId, string NoticeNumber, string RecipientCode, string Kind, long AmountYuan, string LedgerHash, NoticeReceipt? Receipt);

/// <summary>One thing a receipt check found wrong: a code (<see cref="ReceiptFindings"/>) and a sentence saying which.</summary>
public sealed record ReceiptFinding(string Code, string Message);

/// <summary>The outcome: verified when nothing was found; <see cref="CheckedAgainstPublication"/> when a published release was compared.</summary>
public sealed record ReceiptCheck(bool Verified, bool CheckedAgainstPublication, string? Root, IReadOnlyList<ReceiptFinding> Findings);

/// <summary>The codes of <see cref="ReceiptFinding"/>.</summary>
public static class ReceiptFindings
{
    public const string NoReceipt = "receipt.missing";
    public const string Malformed = "receipt.malformed";
    public const string ProofMismatch = "receipt.proof-mismatch";
    public const string RootChanged = "receipt.root-changed";
    public const string OtherRun = "receipt.other-run";
    public const string NoticeChanged = "notice.changed";
    public const string NotPublished = "published.notice-missing";
    public const string PublishedEdited = "published.edited";
    public const string RootNotPublished = "published.root-differs";
}

/// <summary>
/// Checks a notice's receipt offline: its path leads from the notice's own figures to the root it names; with the
/// run's published release, that the release's lines still hash to the root it states (an edit after publication
/// shows), that the notice is the published line of its number, and that its root is the published root. Each
/// failure says which of these broke: a changed amount, a changed root, a proof from another run, an edited file.
/// </summary>
public static class ReceiptVerifier
{
    public static ReceiptCheck Verify(ReceiptClaim claim, PublishedRelease? published = null)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var findings = new List<ReceiptFinding>();
        if (claim.Receipt is not { } receipt)
        {
            findings.Add(new(ReceiptFindings.NoReceipt, $"notice {claim.NoticeNumber} carries no receipt."));
            return new ReceiptCheck(false, published is not null, null, findings);
        }

        PublishedLine? line = null;
        string? publishedRoot = null;
        if (published is not null)
        {
            publishedRoot = published.ReceiptRoot;
            if (published.RunId != claim.RunId)
            {
                findings.Add(new(ReceiptFindings.OtherRun, $"the published release is run {published.RunId}'s, not run {claim.RunId}'s."));
            }

            var computed = published.ComputedRoot();
            if (computed != published.ReceiptRoot)
            {
                findings.Add(new(ReceiptFindings.PublishedEdited, $"the published release of run {published.RunId} was edited after publication: its lines hash to {computed}, not to the root {published.ReceiptRoot} it states."));
            }

            line = published.Lines.FirstOrDefault(l => l.NoticeNumber == claim.NoticeNumber);
            if (line is null)
            {
                findings.Add(new(ReceiptFindings.NotPublished, $"the published release of run {published.RunId} has no line for notice {claim.NoticeNumber}."));
            }
            else
            {
                findings.AddRange(Differences(claim, line));
            }
        }

        var leaf = new ReceiptLeaf(claim.RunId, receipt.Sequence, claim.NoticeNumber, claim.RecipientCode, claim.Kind, claim.AmountYuan, claim.LedgerHash);
        var reached = receipt.RootFrom(leaf);
        if (reached is null)
        {
            findings.Add(new(ReceiptFindings.Malformed, string.Create(CultureInfo.InvariantCulture, $"the receipt's proof is malformed: {receipt.Path?.Count ?? 0} hashes cannot lead from leaf {receipt.LeafIndex} of {receipt.LeafCount} to a root.")));
        }
        else if (reached != receipt.Root)
        {
            var noticeMatches = line is not null && !findings.Any(f => f.Code == ReceiptFindings.NoticeChanged);
            if (publishedRoot is not null && reached == publishedRoot)
            {
                findings.Add(new(ReceiptFindings.RootChanged, $"the receipt's root was changed: its proof leads from the notice to {reached}, the published root, not to the {receipt.Root} it names."));
            }
            else if (noticeMatches || publishedRoot is null)
            {
                findings.Add(new(ReceiptFindings.ProofMismatch, publishedRoot is not null && receipt.Root != publishedRoot
                    ? $"the proof is not this notice's: it names root {receipt.Root}, which is not run {claim.RunId}'s published root {publishedRoot} (a proof from another run), and it does not lead from the notice to either."
                    : $"the proof does not lead from notice {claim.NoticeNumber} to the root {receipt.Root} it names: the notice's figures (amount, recipient, kind, ledger hash) or the proof were changed, or the proof is another notice's."));
            }
        }

        if (publishedRoot is not null && reached == receipt.Root && receipt.Root != publishedRoot)
        {
            findings.Add(new(ReceiptFindings.RootNotPublished, $"the receipt leads to root {receipt.Root}, but run {claim.RunId} published root {publishedRoot}: the notice is not what was published."));
        }

        return new ReceiptCheck(findings.Count == 0, published is not null, reached, findings);
    }

    private static IEnumerable<ReceiptFinding> Differences(ReceiptClaim claim, PublishedLine line)
    {
        if (line.AmountYuan != claim.AmountYuan)
        {
            yield return new(ReceiptFindings.NoticeChanged, string.Create(CultureInfo.InvariantCulture, $"the notice's amount {claim.AmountYuan:N0} yuan is not the {line.AmountYuan:N0} yuan recorded and published for notice {claim.NoticeNumber}."));
        }

        if (line.RecipientCode != claim.RecipientCode)
        {
            yield return new(ReceiptFindings.NoticeChanged, $"the notice's recipient {claim.RecipientCode} is not the {line.RecipientCode} published for notice {claim.NoticeNumber}.");
        }

        if (line.Kind != claim.Kind)
        {
            yield return new(ReceiptFindings.NoticeChanged, $"the notice's kind {claim.Kind} is not the {line.Kind} published for notice {claim.NoticeNumber}.");
        }

        if (line.EntryHash != claim.LedgerHash)
        {
            yield return new(ReceiptFindings.NoticeChanged, $"the notice's ledger hash is not the entry hash published for notice {claim.NoticeNumber}.");
        }
    }
}
