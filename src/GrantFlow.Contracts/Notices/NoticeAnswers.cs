using System.Diagnostics.CodeAnalysis;
using GrantFlow.Domain.Notices;

namespace GrantFlow.Contracts;

/// <summary>A notice acknowledged: by whom and when.</summary>
public sealed record NoticeAcknowledgement(string NoticeNumber, string ProvinceCode, string AcknowledgedBy, DateTimeOffset AcknowledgedAt);

/// <summary>A province notice not yet passed down: when it was sent, whether it was reminded, whether it is overdue.</summary>
public sealed record PendingPassDown(string ProvinceCode, string NoticeNumber, string Program, int FiscalYear, DateTimeOffset SentAt, bool Reminded, DateTimeOffset? OverdueSince, bool DeadlineScheduled = false);

/// <summary>A province notice not yet acknowledged, and how far it has been chased.</summary>
public sealed record OpenNotice(string ProvinceCode, string NoticeNumber, DateTimeOffset SentAt, int Chases, int Level, DateTimeOffset? LastChasedAt);

/// <summary>
/// A notice in its recipient's inbox: the notice as sent, who acknowledged it and when (null: not yet), and the
/// recipient's dispute of it with every step the centre took (null: not disputed).
/// </summary>
public sealed record InboxNotice : DisbursementNotice
{
    public InboxNotice()
    {
    }

    [SetsRequiredMembers]
    public InboxNotice(DisbursementNotice notice, DateTimeOffset? acknowledgedAt, string? acknowledgedBy)
        : base(notice ?? throw new ArgumentNullException(nameof(notice)))
    {
        AcknowledgedAt = acknowledgedAt;
        AcknowledgedBy = acknowledgedBy;
    }

    public DateTimeOffset? AcknowledgedAt { get; init; }

    public string? AcknowledgedBy { get; init; }

    public Dispute? Dispute { get; init; }
}
