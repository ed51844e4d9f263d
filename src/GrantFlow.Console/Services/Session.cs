using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.JSInterop;
using GrantFlow.Contracts;

namespace GrantFlow.Console.Services;

/// <summary>Who is signed in, in which roles, with which bearer token (kept in the tab's sessionStorage).</summary>
public sealed class Session(IJSRuntime js, HttpClient http)
{
    private const string StorageKey = "grantflow.session";
    private bool _restored;

    public string? User { get; private set; }

    public IReadOnlyList<string> Roles { get; private set; } = [];

    /// <summary>The local bearer token; null in Azure, where the Static Web App's cookie carries the sign-in.</summary>
    public string? Token { get; private set; }

    public DateTimeOffset? ExpiresAt { get; private set; }

    /// <summary>True where the Static Web App signs users in (Entra ID), false on <c>grantflow serve</c>.</summary>
    public bool HostedSignIn { get; private set; }

    public bool SignedIn => User is not null;

    public event Action? Changed;

    public bool Has(string role) => Roles.Contains(role, StringComparer.Ordinal);

    public bool IsFinanceOfficer => Has(GrantFlowRoles.FinanceOfficer);

    public bool IsApprover => Has(GrantFlowRoles.Approver) || PayerApproverOf is not null;

    public bool IsAuditor => Has(GrantFlowRoles.Auditor);

    /// <summary>The province whose bureau the user is (role <c>province:{code}</c>).</summary>
    public string? ProvinceOf => RoleSuffix("province:");

    /// <summary>The county whose bureau the user is (role <c>county:{code}</c>).</summary>
    public string? CountyOf => RoleSuffix("county:");

    /// <summary>The province whose pass-downs the user reviews or approves (role <c>province-approver:{code}</c>).</summary>
    public string? ProvinceApproverOf => RoleSuffix("province-approver:");

    /// <summary>The prefecture whose bureau the user is (role <c>prefecture:{code}</c>).</summary>
    public string? PrefectureOf => RoleSuffix("prefecture:");

    /// <summary>The province or prefecture that passes money down whose bureau the user is.</summary>
    public string? PayerOf => ProvinceOf ?? PrefectureOf;

    /// <summary>The province or prefecture whose pass-downs the user reviews or approves.</summary>
    public string? PayerApproverOf => ProvinceApproverOf ?? RoleSuffix("prefecture-approver:");

    public async Task RestoreAsync()
    {
        if (_restored)
        {
            return;
        }

        _restored = true;
        var stored = await js.InvokeAsync<string?>("sessionStorage.getItem", StorageKey);
        if (stored is not null && JsonSerializer.Deserialize<SignedInUser>(stored, ApiClient.Json) is { } user && user.ExpiresAt > DateTimeOffset.UtcNow)
        {
            Apply(user);
            return;
        }

        try
        {
            // Azure Static Web Apps: the signed-in principal and its app roles.
            using var response = await http.GetAsync(new Uri(".auth/me", UriKind.Relative));
            if (response.IsSuccessStatusCode
                && response.Content.Headers.ContentType?.MediaType == "application/json"
                && (await response.Content.ReadFromJsonAsync<StaticWebAppMe>(ApiClient.Json))?.ClientPrincipal is { } principal)
            {
                HostedSignIn = true;
                Apply(new SignedInUser(principal.UserDetails, [.. principal.UserRoles.Where(r => r is not ("anonymous" or "authenticated"))], null, DateTimeOffset.MaxValue));
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException)
        {
            // Not behind a Static Web App: the local sign-in page is used.
        }
    }

    public async Task SignInAsync(SignedInUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        Apply(user);
        await js.InvokeVoidAsync("sessionStorage.setItem", StorageKey, JsonSerializer.Serialize(user, ApiClient.Json));
    }

    public async Task SignOutAsync()
    {
        User = null;
        Token = null;
        Roles = [];
        await js.InvokeVoidAsync("sessionStorage.removeItem", StorageKey);
        Changed?.Invoke();
    }

    private void Apply(SignedInUser user)
    {
        (User, Roles, Token, ExpiresAt) = (user.User, user.Roles, user.Token, user.ExpiresAt);
        Changed?.Invoke();
    }

    private string? RoleSuffix(string prefix) =>
        Roles.FirstOrDefault(r => r.StartsWith(prefix, StringComparison.Ordinal)) is { } role ? role[prefix.Length..] : null;
}

/// <summary>A signed-in user as the local sign-in answers (and the tab keeps).</summary>
public sealed record SignedInUser(string User, IReadOnlyList<string> Roles, string? Token, DateTimeOffset ExpiresAt);

/// <summary>A demo user of the local host's sign-in page.</summary>
public sealed record DemoUser(string User, IReadOnlyList<string> Roles, string Description, string DescriptionZh);

/// <summary>Azure Static Web Apps' <c>/.auth/me</c>.</summary>
public sealed record StaticWebAppMe(StaticWebAppPrincipal? ClientPrincipal);

public sealed record StaticWebAppPrincipal(string UserDetails, IReadOnlyList<string> UserRoles);
