namespace GrantFlow.Domain.Ledger;

/// <summary>
/// The Chinese name of each kind of run and of ledger entry, as officials and the public read them: one table for the
/// published files, the province's exports and the console (a run's kind and an entry's kind share a name where they
/// share a word: advance, remainder, pass-down).
/// </summary>
public static class KindNames
{
    public static string Chinese(string kind) => kind switch
    {
        LedgerEntryKinds.Advance => "提前下达",
        LedgerEntryKinds.Remainder => "余额下达",
        "settlement" => "清算",
        "correction" => "更正",
        LedgerEntryKinds.SettlementTopUp => "清算补拨",
        LedgerEntryKinds.SettlementRecovery => "清算收回",
        LedgerEntryKinds.Reversal => "冲销",
        LedgerEntryKinds.PassDown => "分解下达",
        LedgerEntryKinds.Retention => "本级留用",
        _ => kind,
    };
}
