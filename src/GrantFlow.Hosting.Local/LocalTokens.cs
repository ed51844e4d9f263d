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

    /// <summary>Permissions a key file may have (owner read and write); anything more lets others mint tokens.</summary>
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// The key of <paramref name="keyFile"/>, created (owner read and write only: 0600) on first use. As ssh does with
    /// a private key, a key file that others can read or write is refused: whoever reads it can mint a finance
    /// officer's token.
    /// </summary>
    public static LocalTokens Load(string keyFile)
    {
        if (!File.Exists(keyFile))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(keyFile))!);
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = OwnerOnly; // created 0600, never readable by others for a moment
                }

                using var writer = new StreamWriter(keyFile, System.Text.Encoding.ASCII, options);
                writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            }
            catch (IOException) when (File.Exists(keyFile))
            {
                // created at the same moment by another process on the same folder: that key is the key
            }
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(keyFile) & ~OwnerOnly) is var extra && extra != 0)
        {
            throw new UnauthorizedAccessException(
                $"the signing key {keyFile} can be read or written by others (mode {Convert.ToString((int)File.GetUnixFileMode(keyFile), 8)}): anyone who reads it can sign in as any user. Run: chmod 600 {keyFile}");
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
