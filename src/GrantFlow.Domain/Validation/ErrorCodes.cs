namespace GrantFlow.Domain.Validation;

/// <summary>
/// The stable codes of input errors (<see cref="ValidationError.Code"/>), with the names of their arguments in
/// <see cref="ValidationError.Args"/>. Clients say an error in their user's language from its code and arguments;
/// the English <see cref="ValidationError.Message"/> is for logs and the API's own readers. A code never changes
/// meaning; a new kind of error gets a new code.
/// </summary>
public static class ErrorCodes
{
    // Files and their rows.
    public const string FileEmpty = "file.empty";
    public const string FileNoRows = "file.no-rows";
    public const string FileHeader = "file.header";
    public const string FileEncoding = "file.encoding";
    public const string NotAWorkbook = "file.not-a-workbook"; // the .xlsx could not be read
    public const string FileTooLarge = "file.too-large"; // bytes, limit
    public const string RowFieldCount = "row.field-count"; // expected, found
    public const string TooManyErrors = "errors.too-many"; // limit
    public const string ColumnMissing = "column.missing"; // column, usedBy? (formula | floor)
    public const string ColumnDuplicate = "column.duplicate"; // column, count
    public const string ColumnUnknown = "column.unknown"; // column
    public const string ColumnAllZero = "column.all-zero"; // column

    // Values.
    public const string Required = "value.required";
    public const string WrongEncoding = "value.wrong-encoding";
    public const string TooLong = "value.too-long"; // length, limit
    public const string NotANumber = "value.not-a-number"; // value
    public const string Negative = "value.negative"; // value
    public const string OutOfRange = "value.out-of-range"; // value, min, max
    public const string NotOneOf = "value.not-one-of"; // value, allowed
    public const string NotADate = "value.not-a-date"; // value
    public const string NotAMonth = "value.not-a-month"; // value
    public const string Invalid = "value.invalid"; // value?

    // Identifiers.
    public const string UnknownProvince = "code.unknown-province"; // value
    public const string UnknownCounty = "code.unknown-county"; // value
    public const string CountyOfAnotherProvince = "code.county-of-another-province"; // value, province (the payer: a province or a prefecture)
    public const string UnknownPrefecture = "code.unknown-prefecture"; // value
    public const string DuplicateCode = "code.duplicate"; // value, firstLine
    public const string NotARunId = "id.not-a-run"; // value
    public const string NotANoticeNumber = "id.not-a-notice-number"; // value
    public const string UnknownRun = "id.unknown-run"; // value
    public const string StaleContinuation = "page.stale-continuation";

    // Run parameters.
    public const string UnknownProgram = "program.unknown"; // value
    public const string EnvelopeNotPositive = "envelope.not-positive"; // value
    public const string EnvelopeTooLarge = "envelope.too-large"; // value, limit
    public const string FormulaKindUnknown = "formula.kind-unknown"; // value
    public const string StandardRequired = "formula.standard-required";
    public const string StandardNotTaken = "formula.standard-not-taken";
    public const string WeightsNotTaken = "formula.weights-not-taken";
    public const string WeightsRequired = "formula.weights-required";
    public const string WeightsTooMany = "formula.weights-too-many"; // count, limit
    public const string WeightNotPositive = "formula.weight-not-positive"; // value
    public const string WeightsSum = "formula.weights-sum"; // sum
    public const string AllWeightsZero = "formula.all-weights-zero";
    public const string FloorRatio = "floor.ratio"; // value
    public const string FloorInfeasible = "floor.infeasible";
    public const string ShareOutOfRange = "share.out-of-range"; // value, min, max
    public const string FormulaVersionChanged = "formula.version-changed"; // advance, settlement
    public const string NothingToCorrect = "correction.nothing"; // province, amount
    public const string NoEntryForProvince = "correction.no-entry"; // province, run
    public const string CorrectionTooLarge = "correction.too-large"; // value, limit

    // The advance-ratio rule (Plans).
    public const string AdvanceBelowMinimum = "advance.below-minimum"; // advance, expected, percent, minimumPercent, minimum, kind
    public const string AdvanceAboveExpected = "advance.above-expected"; // advance, expected
    public const string RemainderAboveExpected = "remainder.above-expected"; // value, expected, released, room
    public const string ExceptionWithoutNeed = "advance.exception-not-needed"; // percent, minimumPercent
}
