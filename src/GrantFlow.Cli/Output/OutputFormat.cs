namespace GrantFlow.Cli.Output;

/// <summary>How a command prints its result.</summary>
public enum OutputFormat
{
    Table,
    Csv,
    Json,
}
