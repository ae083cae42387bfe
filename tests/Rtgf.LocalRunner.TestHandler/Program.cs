using System.Text.Json;
using System.Text.Json.Nodes;
using Rtgf.CustomHandler.Catalog;
using Rtgf.CustomHandler.Hosting;

var hello = FunctionDefinition.Http("hello", "hello/{*path}", AuthorizationLevel.Anonymous, "get");

var builder = WebApplication.CreateSlimBuilder(args);
builder.AddCustomHandler();

// A timer that starts a chain: its Service Bus output feeds "relay".
builder.Services.AddFunction(FunctionDefinition.Timer("tick", "%TICK_SCHEDULE%", new ServiceBusOutput("work", "%WORK_QUEUE%")), context =>
{
    context.Outputs.Add("work", new { source = "tick", pastDue = context.Timer.IsPastDue, next = context.Timer.Next });
    context.Log("tick fired");
    return Task.CompletedTask;
});

// A Service Bus-triggered function that passes each message on through its output binding.
builder.Services.AddFunction(FunctionDefinition.ServiceBus("relay", "%WORK_QUEUE%", new ServiceBusOutput("done", "%DONE_QUEUE%")), context =>
{
    var message = context.Message;
    context.Outputs.Add("done", new { relayed = JsonNode.Parse(message.Body), deliveryCount = message.DeliveryCount, messageId = message.MessageId });
    return Task.CompletedTask;
});

// Always fails, so its messages are retried and then dead-lettered.
builder.Services.AddFunction(FunctionDefinition.ServiceBus("poison", "%POISON_QUEUE%"), context =>
    throw new InvalidOperationException($"refusing message {context.Message.MessageId} (delivery {context.Message.DeliveryCount})"));

// A Storage queue trigger with a Storage queue output.
builder.Services.AddFunction(FunctionDefinition.StorageQueue("storage-relay", "storage-in", new QueueOutput("copy", "storage-out")), context =>
{
    context.Outputs.Add("copy", new { copied = context.Message.Body, dequeueCount = context.Message.DeliveryCount });
    return Task.CompletedTask;
});

// HTTP with a second output: the host sends an envelope and the answer goes through "res".
builder.Services.AddFunction(
    FunctionDefinition.HttpWithOutputs("echo", "echo/{id}", AuthorizationLevel.Function, ["post"], new QueueOutput("audit", "audit")),
    context =>
    {
        var request = context.HttpRequest;
        context.Outputs.Add("audit", new { id = request.Params["id"], body = request.Body });
        context.Outputs.SetHttpResponse(201, JsonSerializer.Serialize(new { id = request.Params["id"], echoed = request.Body }));
        return Task.CompletedTask;
    });

builder.Services.AddHttpFunction(hello);

var app = builder.Build();
app.UseCustomHandler();
app.MapCustomHandler();
app.MapFunction(hello).MapGet("/{name}", (string name, HttpContext http) =>
    TypedResults.Ok(new { hello = name, invocationId = http.Request.Headers["X-Azure-Functions-InvocationId"].ToString() }));
return app.RunCustomHandler(args);
