using System.Globalization;
using GrantFlow.Domain.Ledger;

namespace GrantFlow.Domain.Notices;

/// <summary>What a notice tells its province to do besides receive the money, by the ledger entry it carries.</summary>
public static class NoticeInstructions
{
    /// <summary>The instruction a notice carries: how a top-up is paid, a recovery deducted, or what a correction replaces.</summary>
    public static DisbursementNotice WithInstruction(this DisbursementNotice notice, LedgerEntry entry) => entry switch
    {
        { Corrects: { } corrects } => notice with
        {
            Instruction = string.Create(CultureInfo.InvariantCulture, $"更正 correction: this notice of {entry.AmountYuan:N0} yuan replaces the entry {corrects[..corrects.IndexOf(':', StringComparison.Ordinal)]}; reason: {entry.Reason}"),
        },
        _ => entry.Kind switch
        {
        LedgerEntryKinds.SettlementTopUp => notice with
        {
            Instruction = string.Create(CultureInfo.InvariantCulture, $"补拨 top-up: {entry.AmountYuan:N0} yuan is paid to the province with this notice; pass it down within {DisbursementNotice.PassDownDays} days."),
        },
        LedgerEntryKinds.SettlementRecovery => notice with
        {
            Instruction = string.Create(CultureInfo.InvariantCulture, $"扣回 recovery: {entry.AmountYuan:N0} yuan advanced above the settled entitlement is deducted from the province's next central transfer of this program."),
        },
        _ => notice,
        },
    };
}
