using GrantFlow.Contracts;
using GrantFlow.Console.Services;
using Microsoft.AspNetCore.Components;

namespace GrantFlow.Console.Components;

/// <summary>A page of the console: re-renders when the language changes, and shows an API problem as it is.</summary>
public abstract class ConsolePage : ComponentBase, IDisposable
{
    [Inject]
    protected Texts T { get; set; } = default!;

    [Inject]
    protected ApiClient Api { get; set; } = default!;

    [Inject]
    protected Session Session { get; set; } = default!;

    [Inject]
    protected NavigationManager Nav { get; set; } = default!;

    /// <summary>The last refusal or failure, shown by <see cref="ProblemBox"/>.</summary>
    protected ProblemBody? Error { get; set; }

    /// <summary>Runs a call to the API, keeping its problem (4xx/5xx) for the page to show instead of throwing.</summary>
    protected async Task<bool> TryAsync(Func<Task> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        Error = null;
        try
        {
            await call();
            return true;
        }
        catch (ApiProblemException ex)
        {
            Error = ex.Problem;
            if (ex.Problem.Status == 401)
            {
                await Session.SignOutAsync();
                Nav.NavigateTo(string.Empty);
            }

            return false;
        }
        catch (HttpRequestException ex)
        {
            Error = new ProblemBody("about:blank", T["The API did not answer", "接口无响应"], 0, ex.Message, null);
            return false;
        }
    }

    /// <summary>Asks <paramref name="dialog"/> to confirm, then runs <paramref name="action"/> as this page's (it renders after).</summary>
    protected void Confirm(ConfirmDialog dialog, string title, string message, Func<Task> action)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        dialog.Ask(title, message, EventCallback.Factory.Create(this, action));
    }

    protected override void OnInitialized() => T.Changed += Refresh;

    private void Refresh() => InvokeAsync(StateHasChanged);

    public void Dispose()
    {
        T.Changed -= Refresh;
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
