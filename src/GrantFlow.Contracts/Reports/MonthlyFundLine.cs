namespace GrantFlow.Contracts;

/// <summary>One program and province in the monthly fund report, as of the end of the month.</summary>
public sealed record MonthlyFundLine(
    int FiscalYear,
    string Month,
    string Program,
    string ProvinceCode,
    long AdvancedYuan,
    long TopUpsYuan,
    long RecoveriesYuan,
    long NetYuan,
    long OutstandingYuan,
    int NoticesAcknowledged,
    int NoticesUnacknowledged,
    int PassDownsOverdue = 0);
