using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace GrantFlow.Hosting.Local;

/// <summary>
/// Bearer tokens for the local host: HMAC-SHA256 JWTs signed with a key kept in a file of the local data folder
/// (created on first use, never committed). In Azure, App Service authentication replaces this.
/// </summary>
public sealed class LocalTokens
{
    public const string Issuer = "grantflow-local";
    public const string Audience = "grantflow-api";
    public const string RoleClaim = "roles";
    public const string NameClaim = "name";

    private LocalTokens(SymmetricSecurityKey key) => Key = key;

    public SymmetricSecurityKey Key { get; }

    public static LocalTokens Load(string keyFile)
    {
        if (!File.Exists(keyFile))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(keyFile))!);
            File.WriteAllText(keyFile, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        }

        return new LocalTokens(new SymmetricSecurityKey(Convert.FromBase64String(File.ReadAllText(keyFile).Trim())));
    }

    public string Mint(string user, IEnumerable<string> roles, TimeSpan lifetime)
    {
        var claims = new List<Claim> { new(NameClaim, user), new("sub", user) };
        claims.AddRange(roles.Select(r => new Claim(RoleClaim, r)));
        var expires = DateTime.UtcNow.Add(lifetime);
        var from = lifetime > TimeSpan.Zero ? DateTime.UtcNow : expires.AddMinutes(-5); // a negative lifetime: a token already expired (tests)
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity(claims),
            NotBefore = from,
            IssuedAt = from,
            Expires = expires,
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
        });
    }

    public TokenValidationParameters ValidationParameters() => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKey = Key,
        NameClaimType = NameClaim,
        RoleClaimType = RoleClaim,
        ClockSkew = TimeSpan.FromSeconds(30),
    };
}
