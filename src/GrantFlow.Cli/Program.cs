using GrantFlow.Cli;

return await GrantFlowCli.RunAsync(args);
