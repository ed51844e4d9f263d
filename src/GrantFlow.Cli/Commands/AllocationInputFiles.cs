using GrantFlow.Domain.Inputs;
using GrantFlow.Domain.Validation;

namespace GrantFlow.Cli.Commands;

/// <summary>Reads a run's parameters and province data from files, turning I/O failures into validation errors.</summary>
public static class AllocationInputFiles
{
    /// <summary>Reads both files and validates them together (every error at once).</summary>
    public static RunInput Read(string parametersPath, string provincesPath)
    {
        var parametersJson = ReadText(parametersPath, "params");
        using var reader = new StringReader(ReadText(provincesPath, "provinces"));
        return RunInput.Parse(parametersJson, reader);
    }

    private static string ReadText(string path, string field)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InputValidationException([new ValidationError(field, null, $"cannot read '{path}': {ex.Message}")]);
        }
    }
}
