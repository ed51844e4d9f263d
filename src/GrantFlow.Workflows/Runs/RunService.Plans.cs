using GrantFlow.Domain.Inputs;
using GrantFlow.Domain.Plans;
using GrantFlow.Domain.Validation;
using GrantFlow.Contracts;

namespace GrantFlow.Workflows.Runs;

public sealed partial class RunService
{
    /// <summary>
    /// The checks of the advance-ratio rule on a central release, against the program-year's current plan (returned;
    /// null without one): an advance at most the expected amount and, below the minimum share, only with an exception
    /// reason; a remainder that tops the year up to the expected amount and no further. Without a plan nothing is
    /// refused (the run shows no ratio), except an exception that has nothing to be an exception to.
    /// </summary>
    private async Task<ProgramYearPlan?> CheckAgainstPlanAsync(string kind, RunParameters parameters, string? advanceException, CancellationToken cancellationToken)
    {
        if (kind is not (RunKinds.Advance or RunKinds.Remainder))
        {
            return null;
        }

        var plan = await plans.CurrentAsync(parameters.Program, parameters.FiscalYear, cancellationToken);
        var errors = new List<ValidationError>();
        if (kind == RunKinds.Advance)
        {
            if (plan is not null)
            {
                errors.AddRange(PlanRules.CheckAdvance(plan.Assess(parameters.EnvelopeYuan), advanceException));
            }
            else if (!string.IsNullOrWhiteSpace(advanceException))
            {
                errors.Add(new ValidationError("advanceException", null, $"{parameters.Program} has no plan for {parameters.FiscalYear}: there is no minimum to make an exception to. Set the year's expected amount first.").With(ErrorCodes.ExceptionWithoutNeed));
            }
        }
        else if (plan is not null)
        {
            var standing = (await plans.StandingsAsync(parameters.FiscalYear, parameters.Program, cancellationToken: cancellationToken)).SingleOrDefault();
            errors.AddRange(PlanRules.CheckRemainder(plan, standing?.ReleasedYuan ?? 0, parameters.EnvelopeYuan));
        }

        return errors.Count > 0 ? throw new InputValidationException(errors) : plan;
    }
}
