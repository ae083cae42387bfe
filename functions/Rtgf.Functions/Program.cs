using Microsoft.Azure.Functions.Worker.Builder;
using Rtgf.Functions;

// The isolated worker the Functions host starts (func start, Flex Consumption, or the local runner's gRPC host).
var builder = FunctionsApplication.CreateBuilder(args);
RtgfApp.Configure(builder);
builder.Build().Run();
