using GrantFlow.Console;
using GrantFlow.Console.Services;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;

var builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.RootComponents.Add<App>("#app");
builder.RootComponents.Add<HeadOutlet>("head::after");
builder.Services.AddScoped(_ => new HttpClient { BaseAddress = new Uri(builder.HostEnvironment.BaseAddress) });
builder.Services.AddScoped<Session>();
builder.Services.AddScoped<Texts>();
builder.Services.AddScoped<ProblemTexts>();
builder.Services.AddScoped<ApiClient>();
builder.Services.AddScoped<PriorYearAmounts>();
builder.Services.AddScoped<PendingWork>();
await builder.Build().RunAsync();
