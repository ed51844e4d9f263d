using System.CommandLine;
using GrantFlow.Hosting.Local;
using GrantFlow.Workflows.Http;
using GrantFlow.Contracts;

namespace GrantFlow.Cli.Commands;

/// <summary><c>grantflow token</c>: mints a local bearer token for a named user and roles (local host only).</summary>
public static class TokenCommand
{
    public static string DefaultKeyFile => Path.Combine(".grantflow", "signing-key");

    public static Command Create()
    {
        var userOption = new Option<string>("--user") { Description = "The caller's name.", Required = true };
        var roleOption = new Option<string[]>("--role")
        {
            Description = "finance-officer, approver, auditor or province:<code> (repeatable).",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var hoursOption = new Option<int>("--hours") { Description = "Lifetime in hours.", DefaultValueFactory = _ => 8 };
        var command = new Command("token", "Mint a bearer token for the local API.") { userOption, roleOption, hoursOption };
        command.Validators.Add(result =>
        {
            foreach (var role in result.GetValue(roleOption) ?? [])
            {
                if (!GrantFlowRoles.IsKnown(role))
                {
                    result.AddError($"unknown role '{role}'; expected finance-officer, approver, auditor or province:<code>.");
                }
            }
        });
        command.SetAction(parse =>
        {
            LocalTokens tokens;
            try
            {
                tokens = LocalTokens.Load(DefaultKeyFile);
            }
            catch (UnauthorizedAccessException ex)
            {
                parse.InvocationConfiguration.Error.WriteLine(ex.Message);
                return GrantFlowCli.Failure;
            }

            parse.InvocationConfiguration.Output.WriteLine(tokens.Mint(parse.GetValue(userOption)!, parse.GetValue(roleOption)!, TimeSpan.FromHours(parse.GetValue(hoursOption))));
            return GrantFlowCli.Success;
        });
        return command;
    }
}
