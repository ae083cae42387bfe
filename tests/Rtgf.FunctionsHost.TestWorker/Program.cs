using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();

// The worker's own Kestrel keeps ASP.NET Core's 30,000,000-byte body limit unless the app raises it: the host forwards
// the body untouched, so an app that takes large bodies must say so here (the contract tests send 30 MiB).
builder.Services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = 64 * 1024 * 1024);
builder.Build().Run();
