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

    /// <summary>Blob container of the published releases (open data, read by anyone).</summary>
    public string DisclosureContainer { get; set; } = "disclosures";

    /// <summary>
    /// Azure: the blob endpoint of the public storage account the disclosures are published to (its container allows
    /// anonymous reads; the main account allows none). Unset: the main account's container, served by the API.
    /// </summary>
    public string? PublicBlobServiceUri { get; set; }

    /// <summary>Prefix of the per-province notice queues: <c>{prefix}-{province code}</c>.</summary>
    public string NoticeQueuePrefix { get; set; } = "notices";

    public string RunsTable => TablePrefix + "Runs";

    /// <summary>The runs filed by what they are listed and guarded by (all, year, program, owner, open); see <c>RunIndex</c>.</summary>
    public string RunIndexTable => TablePrefix + "RunIndex";
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

    /// <summary>Program-years' expected amounts, every version kept (partition = "{program}|{year}", row = version).</summary>
    public string PlansTable => TablePrefix + "Plans";

    /// <summary>
    /// The queue of a recipient: <c>{prefix}-{province}</c> for a province; for a county, its province's county queue
    /// <c>{prefix}-{province}-counties</c> with the county in each message: 31 more queues rather than ~2,850 (Azurite
    /// and Azure both do better with few queues; counties read and acknowledge their notices through the API, one
    /// partition of the notice index each); for a prefecture, likewise its province's prefecture queue
    /// <c>{prefix}-{province}-prefectures</c>.
    /// </summary>
    public string NoticeQueue(string recipientCode) => recipientCode.Length switch
    {
        6 => $"{NoticeQueuePrefix}-{recipientCode[..2]}-counties",
        4 => $"{NoticeQueuePrefix}-{recipientCode[..2]}-prefectures",
        _ => $"{NoticeQueuePrefix}-{recipientCode}",
    };
}
