namespace GrantFlow.Workflows.Storage;

/// <summary>Where GrantFlow keeps its state (bound from configuration section <c>GrantFlow:Storage</c>).</summary>
public sealed class GrantFlowStorageOptions
{
    public const string SectionName = "GrantFlow:Storage";

    /// <summary>Prefix of every table name (letters and digits), so several environments can share an account.</summary>
    public string TablePrefix { get; set; } = "GrantFlow";

    /// <summary>Blob container holding each run's input documents.</summary>
    public string InputContainer { get; set; } = "grantflow-run-inputs";

    /// <summary>Blob container of the external ledger anchors (under a time-based retention policy in Azure).</summary>
    public string AnchorContainer { get; set; } = "ledger-anchors";

    /// <summary>Prefix of the per-province notice queues: <c>{prefix}-{province code}</c>.</summary>
    public string NoticeQueuePrefix { get; set; } = "notices";

    public string RunsTable => TablePrefix + "Runs";
    public string AllocationsTable => TablePrefix + "Allocations";
    public string DecisionsTable => TablePrefix + "Decisions";
    public string LedgerTable => TablePrefix + "Ledger";
    public string LedgerIndexTable => TablePrefix + "LedgerIndex";
    public string OutboxTable => TablePrefix + "Outbox";

    /// <summary>Sent notices by recipient (partition = province or county code, row = notice number), with their acknowledgement.</summary>
    public string NoticesTable => TablePrefix + "Notices";

    /// <summary>Province notices awaiting acknowledgement, and how far each has been chased.</summary>
    public string ChaseTable => TablePrefix + "Chase";

    /// <summary>Provinces' disputes of their notices.</summary>
    public string DisputesTable => TablePrefix + "Disputes";

    public string NoticeQueue(string provinceCode) => $"{NoticeQueuePrefix}-{provinceCode}";
}
