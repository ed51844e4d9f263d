namespace GrantFlow.Workflows.Notices;

/// <summary>
/// A recipient acknowledges one of its notices: the acknowledgement is recorded, then the notice's chase closed (on
/// every call, so a repeat after a failed close closes it). A failure in between leaves a notice acknowledged and
/// still chased, never unacknowledged and forgotten. Only province and prefecture notices are chased; a county's
/// acknowledgement touches no chase row.
/// </summary>
public sealed class NoticeAcknowledgements(NoticeOutbox outbox, OpenNotices open)
{
    /// <summary>The acknowledgement (the first one, for a repeat); null when the recipient has no such notice.</summary>
    public async Task<NoticeAcknowledgement?> AcknowledgeAsync(string recipientCode, string noticeNumber, string by, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var acknowledgement = await outbox.AcknowledgeAsync(recipientCode, noticeNumber, by, at, cancellationToken);
        if (acknowledgement is not null && OpenNotices.IsFollowed(recipientCode))
        {
            await open.CloseAsync(recipientCode, noticeNumber, cancellationToken);
        }

        return acknowledgement;
    }
}
