using Rtgf.CustomHandler.Hosting;
using Rtgf.Functions;
using Rtgf.Functions.Composition;
using Rtgf.Functions.Endpoints;

var builder = WebApplication.CreateSlimBuilder(args);
builder.AddCustomHandler();
builder.AddRtgfPlatform();
builder.AddRtgfFunctions();
builder.AddRtgfApis();
builder.Services.AddRtgfOpenApi();

var app = builder.Build();
app.UseCustomHandler();
app.MapCustomHandler();
app.MapRegistryEndpoints();
app.MapTokenEndpoints();
app.MapCatalogEndpoints();
app.MapLogEndpoints();
app.MapVerifierEndpoints();
app.MapRevocationEndpoints();
app.MapPublicApiEndpoints();
app.MapOperationsEndpoints();
app.MapBillingEndpoints();
app.MapMcpEndpoints();
app.MapOpenApiEndpoints();

// Serves the Functions host, or (at build time) writes the function.json folders of the script root.
return app.RunCustomHandler(args);
