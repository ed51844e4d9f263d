using GrantFlow.Domain.Programs;
using GrantFlow.Domain.Validation;

namespace GrantFlow.Domain.Plans;

/// <summary>The checks on a plan as a finance officer enters it, and on a release against its plan.</summary>
public static class PlanRules
{
    /// <summary>The longest reason kept with a plan version or an advance-ratio exception.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>Every problem with a plan as entered: program, year, kind, amount and reason (a change needs one).</summary>
    public static IReadOnlyList<ValidationError> Validate(string program, int fiscalYear, string? transferKind, long expectedYuan, string? reason, bool isChange)
    {
        var errors = new List<ValidationError>();
        if (!GrantProgramCatalog.TryGet(program ?? string.Empty, out _))
        {
            errors.Add(new ValidationError("program", null, $"unknown program {Identifiers.Quote(program ?? string.Empty)}.").With(ErrorCodes.UnknownProgram, ("value", program)));
        }

        if (fiscalYear is < RunInputValidator.MinFiscalYear or > RunInputValidator.MaxFiscalYear)
        {
            errors.Add(new ValidationError("fiscalYear", null, $"{fiscalYear} is not a plausible fiscal year ({RunInputValidator.MinFiscalYear}-{RunInputValidator.MaxFiscalYear}).").With(ErrorCodes.OutOfRange, ("value", fiscalYear), ("min", RunInputValidator.MinFiscalYear), ("max", RunInputValidator.MaxFiscalYear)));
        }

        if (transferKind is null || !AdvanceRatioRule.TransferKinds.Contains(transferKind, StringComparer.Ordinal))
        {
            errors.Add(new ValidationError("transferKind", null, $"{Identifiers.Quote(transferKind ?? string.Empty)} is not a kind of transfer; expected 'general' or 'special'.").With(ErrorCodes.NotOneOf, ("value", transferKind), ("allowed", string.Join(", ", AdvanceRatioRule.TransferKinds))));
        }

        if (expectedYuan <= 0)
        {
            errors.Add(new ValidationError("expectedYuan", null, $"the expected amount must be more than 0 yuan, got {expectedYuan}.").With(ErrorCodes.EnvelopeNotPositive, ("value", expectedYuan)));
        }
        else if (expectedYuan > RunInputValidator.MaxAmountYuan)
        {
            errors.Add(new ValidationError("expectedYuan", null, $"{expectedYuan:N0} yuan is more than any program's year can be (at most {RunInputValidator.MaxAmountYuan:N0} yuan).").With(ErrorCodes.EnvelopeTooLarge, ("value", expectedYuan), ("limit", RunInputValidator.MaxAmountYuan)));
        }

        ValidateReason("reason", reason, required: isChange, errors);
        return errors;
    }

    /// <summary>A reason: bounded, and present when <paramref name="required"/>.</summary>
    public static void ValidateReason(string field, string? reason, bool required, List<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(reason))
        {
            if (required)
            {
                errors.Add(new ValidationError(field, null, "a reason is required (a changed plan, or an advance below the minimum, says why).").With(ErrorCodes.Required));
            }
        }
        else if (reason.Length > MaxReasonLength)
        {
            errors.Add(new ValidationError(field, null, $"the reason is {reason.Length} characters; at most {MaxReasonLength}.").With(ErrorCodes.TooLong, ("length", reason.Length), ("limit", MaxReasonLength)));
        }
    }

    /// <summary>
    /// The problems with an advance against its plan: above the expected amount (never), or below the rule's minimum
    /// without an exception reason; an exception reason on an advance that meets the minimum is refused too (it
    /// would be approved for nothing).
    /// </summary>
    public static IReadOnlyList<ValidationError> CheckAdvance(AdvanceRatio ratio, string? exceptionReason)
    {
        ArgumentNullException.ThrowIfNull(ratio);
        var errors = new List<ValidationError>();
        if (ratio.ExceedsExpected)
        {
            errors.Add(new ValidationError("envelopeYuan", null, $"the advance of {ratio.AdvanceYuan:N0} yuan is more than the year's expected amount of {ratio.ExpectedYuan:N0} yuan.").With(ErrorCodes.AdvanceAboveExpected, ("advance", ratio.AdvanceYuan), ("expected", ratio.ExpectedYuan)));
        }
        else if (!ratio.MeetsMinimum && string.IsNullOrWhiteSpace(exceptionReason))
        {
            errors.Add(new ValidationError("envelopeYuan", null, $"the advance of {ratio.AdvanceYuan:N0} yuan is {ratio.Percent} of the expected {ratio.ExpectedYuan:N0} yuan, below the {ratio.MinimumPercent}% a {ratio.TransferKind} transfer must advance ({ratio.MinimumAdvanceYuan:N0} yuan); give an exception reason for the approvers, or raise the envelope.")
                .With(ErrorCodes.AdvanceBelowMinimum, ("advance", ratio.AdvanceYuan), ("expected", ratio.ExpectedYuan), ("percent", ratio.Percent), ("minimumPercent", ratio.MinimumPercent), ("minimum", ratio.MinimumAdvanceYuan), ("kind", ratio.TransferKind)));
        }
        else if (ratio.MeetsMinimum && !string.IsNullOrWhiteSpace(exceptionReason))
        {
            errors.Add(new ValidationError("advanceException", null, $"the advance is {ratio.Percent} of the expected amount, not below the {ratio.MinimumPercent}% minimum: it needs no exception.").With(ErrorCodes.ExceptionWithoutNeed, ("percent", ratio.Percent), ("minimumPercent", ratio.MinimumPercent)));
        }

        ValidateReason("advanceException", exceptionReason, required: false, errors);
        return errors;
    }

    /// <summary>A remainder that would take the year past its expected amount (advances and remainders released so far: <paramref name="releasedYuan"/>).</summary>
    public static IReadOnlyList<ValidationError> CheckRemainder(ProgramYearPlan plan, long releasedYuan, long remainderYuan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var room = plan.ExpectedYuan - releasedYuan;
        return remainderYuan <= room
            ? []
            : [new ValidationError("envelopeYuan", null, $"the remainder of {remainderYuan:N0} yuan would take the year past its expected {plan.ExpectedYuan:N0} yuan ({releasedYuan:N0} released already; at most {Math.Max(room, 0):N0} yuan is left).")
                .With(ErrorCodes.RemainderAboveExpected, ("value", remainderYuan), ("expected", plan.ExpectedYuan), ("released", releasedYuan), ("room", Math.Max(room, 0)))];
    }
}
