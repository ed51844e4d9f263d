namespace GrantFlow.Workflows.Http;

/// <summary>
/// A feature's refusal that the stored state itself forbids the answer (not the request): both hosts answer it 409
/// with its title and message, whichever handler or middleware meets it.
/// </summary>
public abstract class StateConflictException(string title, string message) : Exception(message)
{
    /// <summary>The problem's title.</summary>
    public string Title => title;
}
