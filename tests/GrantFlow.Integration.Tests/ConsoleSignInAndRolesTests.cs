using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace GrantFlow.Integration.Tests;

/// <summary>
/// The two routes the console added, tried as an attacker would: the local sign-in (POST /local/sign-in) and the
/// Static Web App's roles source (POST /api/auth/roles). Bad input is a 4xx problem+json naming the field; too much
/// is a 413; the roles answer only ever holds roles GrantFlow knows; a sign-in's token works and names its user.
/// </summary>
public abstract class ConsoleSignInAndRolesTests(EngineFixture fixture)
{
    private async Task<(HttpStatusCode Status, string? ContentType, JsonElement Body)> PostAsync(string path, string? body, string contentType = "application/json", string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await fixture.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    [Theory]
    [InlineData("{\"user\":\"root\"}", 400, "user")]
    [InlineData("{\"user\":null}", 400, "user")]
    [InlineData("{\"user\":42}", 400, "user")]
    [InlineData("{\"user\":[\"official.li\"]}", 400, "user")]
    [InlineData("[]", 400, "user")]
    [InlineData("null", 400, "user")]
    [InlineData("{\"user\":", 400, "user")]
    [InlineData("{\"user\":\"OFFICIAL.LI\"}", 400, "user")]
    public async Task A_sign_in_for_no_demo_user_is_refused_naming_the_field(string body, int status, string field)
    {
        var answer = await PostAsync("/local/sign-in", body);
        Assert.Equal(status, (int)answer.Status);
        Assert.Equal("application/problem+json", answer.ContentType);
        Assert.Equal(field, answer.Body.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task A_sign_in_without_json_or_too_large_is_refused_before_it_is_read()
    {
        var plain = await PostAsync("/local/sign-in", "{\"user\":\"official.li\"}", "text/plain");
        var none = await PostAsync("/local/sign-in", null);
        var huge = await PostAsync("/local/sign-in", "{\"user\":\"" + new string('a', 5 * 1024 * 1024) + "\"}");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, plain.Status);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, none.Status);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.Status);
        Assert.All(new[] { plain, none, huge }, a => Assert.Equal("application/problem+json", a.ContentType));
    }

    [Fact]
    public async Task A_sign_in_mints_a_token_for_that_user_and_its_roles_only()
    {
        var signedIn = await PostAsync("/local/sign-in", "{\"user\":\"bureau.44\"}");
        Assert.Equal(HttpStatusCode.OK, signedIn.Status);
        Assert.Equal(["province:44"], signedIn.Body.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        var token = signedIn.Body.GetProperty("token").GetString();

        using var ownNotices = new HttpRequestMessage(HttpMethod.Get, "/api/provinces/44/notices");
        ownNotices.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var otherNotices = new HttpRequestMessage(HttpMethod.Get, "/api/provinces/45/notices");
        otherNotices.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var own = await fixture.Http.SendAsync(ownNotices);
        using var other = await fixture.Http.SendAsync(otherNotices);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
    }

    [Theory]
    [InlineData("{}", "claims")]
    [InlineData("{\"claims\":null}", "claims")]
    [InlineData("{\"claims\":\"roles\"}", "claims")]
    [InlineData("[]", "claims")]
    [InlineData("{\"claims\":[", "body")]
    public async Task A_roles_request_without_a_claims_array_is_refused_naming_the_field(string body, string field)
    {
        var answer = await PostAsync("/api/auth/roles", body, token: fixture.Tokens.Mint("someone", ["auditor"], TimeSpan.FromMinutes(5)));
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("application/problem+json", answer.ContentType);
        Assert.Equal(field, answer.Body.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task The_roles_source_answers_only_known_roles_bounds_the_claims_and_needs_a_caller()
    {
        var token = fixture.Tokens.Mint("someone", ["auditor"], TimeSpan.FromMinutes(5));
        const string Claims = "{\"identityProvider\":\"aad\",\"accessToken\":\"x\",\"claims\":[" +
            "{\"typ\":\"roles\",\"val\":\"approver\"},{\"typ\":\"roles\",\"val\":\"province:44\"},{\"typ\":\"roles\",\"val\":\"approver\"}," +
            "{\"typ\":\"roles\",\"val\":\"admin\"},{\"typ\":\"roles\",\"val\":\"province:99\"},{\"typ\":\"name\",\"val\":\"finance-officer\"}," +
            "{\"typ\":\"roles\",\"val\":7},{\"typ\":\"roles\"},\"roles\"]}";
        var answer = await PostAsync("/api/auth/roles", Claims, token: token);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(["approver", "province:44"], answer.Body.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));

        var many = "{\"claims\":[" + string.Join(',', Enumerable.Repeat("{\"typ\":\"roles\",\"val\":\"auditor\"}", 501)) + "]}";
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync("/api/auth/roles", many, token: token)).Status);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await PostAsync("/api/auth/roles", "{\"claims\":[\"" + new string('a', 5 * 1024 * 1024) + "\"]}", token: token)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync("/api/auth/roles", Claims)).Status);
    }
}
