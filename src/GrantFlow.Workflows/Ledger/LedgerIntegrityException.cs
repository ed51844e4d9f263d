using GrantFlow.Workflows.Http;

namespace GrantFlow.Workflows.Ledger;

/// <summary>
/// The stored ledger holds what no release could have written (an amount outside the bounds every write enforces,
/// totals no <see cref="long"/> holds): reads that add entries up refuse to answer a wrong sum and say so.
/// </summary>
public sealed class LedgerIntegrityException(string message) : StateConflictException("Ledger not intact", message)
{
    public LedgerIntegrityException()
        : this("the ledger is not intact")
    {
    }

    public LedgerIntegrityException(string message, Exception innerException)
        : this(message + " " + innerException?.Message)
    {
    }
}
