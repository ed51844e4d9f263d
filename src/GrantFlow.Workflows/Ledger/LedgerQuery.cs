using GrantFlow.Domain.Ledger;
using GrantFlow.Domain.Programs;
using GrantFlow.Domain.Validation;

namespace GrantFlow.Workflows.Ledger;

/// <summary>An auditor's ledger query. The fiscal year is required, so a query reads at most one index partition per program.</summary>
public sealed record LedgerQuery(int FiscalYear, string? Program = null, string? Province = null, string? RunId = null, string? Kind = null, DateTimeOffset? From = null, DateTimeOffset? To = null)
{
    public IReadOnlyList<ValidationError> Validate()
    {
        var errors = new List<ValidationError>();
        if (FiscalYear is < RunInputValidator.MinFiscalYear or > RunInputValidator.MaxFiscalYear)
        {
            errors.Add(new ValidationError("fiscalYear", null, $"a fiscal year between {RunInputValidator.MinFiscalYear} and {RunInputValidator.MaxFiscalYear} is required.").With(ErrorCodes.OutOfRange, ("min", RunInputValidator.MinFiscalYear), ("max", RunInputValidator.MaxFiscalYear)));
        }

        if (Program is not null && !GrantProgramCatalog.TryGet(Program, out _))
        {
            errors.Add(new ValidationError("program", null, $"unknown program {Identifiers.Quote(Program)}.").With(ErrorCodes.UnknownProgram, ("value", Program)));
        }

        if (Province is not null && !ProvinceCodes.IsRecipient(Province))
        {
            errors.Add(new ValidationError("province", null, $"unknown province code {Identifiers.Quote(Province)}.").With(ErrorCodes.UnknownProvince, ("value", Province)));
        }

        if (Kind is not null && !LedgerEntryKinds.All.Contains(Kind, StringComparer.Ordinal))
        {
            errors.Add(new ValidationError("kind", null, $"unknown kind {Identifiers.Quote(Kind)}; expected one of {string.Join(", ", LedgerEntryKinds.All)}.").With(ErrorCodes.NotOneOf, ("value", Kind), ("allowed", string.Join(",", LedgerEntryKinds.All))));
        }

        if (RunId is not null && !Identifiers.IsRunId(RunId))
        {
            errors.Add(new ValidationError("runId", null, $"{Identifiers.Quote(RunId)} is not a run id (32 lowercase hexadecimal digits).").With(ErrorCodes.NotARunId, ("value", RunId)));
        }

        if (From is { } from && To is { } to && to <= from)
        {
            errors.Add(new ValidationError("to", null, "'to' must be after 'from'.").With(ErrorCodes.OutOfRange));
        }

        return errors;
    }
}
