using GrantFlow.Domain.Approvals;
using GrantFlow.Workflows.Runs;
using Microsoft.DurableTask;
using Moq;
using GrantFlow.Contracts;

namespace GrantFlow.Workflows.Tests;

public class DisputeRulesTests
{
    private static readonly DateTimeOffset Issued = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, true)]
    [InlineData(15 * 24, true)]
    [InlineData((15 * 24) + 1, false)]
    public void A_notice_may_be_disputed_within_its_window(int hoursLater, bool open) =>
        Assert.Equal(open, GrantFlow.Workflows.Disputes.DisputeService.WithinWindow(Issued, Issued.AddHours(hoursLater), TimeSpan.FromDays(15)));

    [Fact]
    public void A_program_may_have_a_window_of_its_own()
    {
        var options = new GrantFlow.Workflows.Disputes.DisputeOptions { ProgramWindows = { ["resident-insurance"] = TimeSpan.FromDays(30) } };

        Assert.Equal(TimeSpan.FromDays(30), options.WindowOf("resident-insurance"));
        Assert.Equal(TimeSpan.FromDays(15), options.WindowOf("service-capacity"));
    }

    [Fact]
    public void A_dispute_is_bounded_and_needs_a_reason()
    {
        var body = new GrantFlow.Contracts.DisputeBody(
            new string('r', 3_000),
            [.. Enumerable.Range(0, 21).Select(i => new GrantFlow.Contracts.DisputedFigure("f", "1"))],
            "a\u0000b");

        var errors = GrantFlow.Workflows.Disputes.DisputeService.Validate(body);

        Assert.Equal(["reason", "figures", "attachment"], errors.Select(e => e.Field));
    }
}
