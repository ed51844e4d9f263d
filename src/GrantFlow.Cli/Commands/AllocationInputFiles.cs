using GrantFlow.Domain.Inputs;
using GrantFlow.Domain.Validation;

namespace GrantFlow.Cli.Commands;

/// <summary>Reads a run's parameters and province data from files, turning I/O failures into validation errors.</summary>
public static class AllocationInputFiles
{
    public const long MaxFileBytes = 64L * 1024 * 1024;

    /// <summary>Reads both files and validates them together (every error at once).</summary>
    public static RunInput Read(string parametersPath, string provincesPath)
    {
        var parametersJson = CsvText.Decode(ReadBytes(parametersPath, "params"), "params").Text;
        var sheet = provincesPath.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) ? XlsxTable.Read(ReadBytes(provincesPath, "provinces")) : null;
        using var reader = new StringReader(sheet?.Csv ?? CsvText.Decode(ReadBytes(provincesPath, "provinces")).Text);
        try
        {
            return RunInput.Parse(parametersJson, reader, level: null);
        }
        catch (InputValidationException ex) when (sheet is not null)
        {
            throw new InputValidationException(sheet.Locate(ex.Errors)); // a workbook's errors name its sheet, row and column
        }
    }

    /// <summary>
    /// The file's bytes; files larger than <see cref="MaxFileBytes"/> are refused (a province or county table is well
    /// under 1 MB).
    /// </summary>
    private static byte[] ReadBytes(string path, string field)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > MaxFileBytes)
            {
                throw new InputValidationException([new ValidationError(field, null, $"'{path}' has {info.Length:N0} bytes; at most {MaxFileBytes:N0} are read.")]);
            }

            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InputValidationException([new ValidationError(field, null, $"cannot read '{path}': {ex.Message}")]);
        }
    }
}
