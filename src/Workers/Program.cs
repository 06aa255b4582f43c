using Hangfire;
using Paddock.Persistence;
using Paddock.Persistence.Jobs;

// The worker host: runs the background jobs (deploy, reconcile, tear down) that the portal enqueues.
var builder = Host.CreateApplicationBuilder(args);
builder.AddPaddockPersistence();
builder.Services.AddPaddockJobStorage(builder.Configuration.GetConnectionString("Paddock")!);
builder.Services.AddHangfireServer(o =>
{
    o.ServerName = $"paddock-worker-{Environment.MachineName}";
    o.WorkerCount = Math.Max(4, Environment.ProcessorCount * 2);
    o.Queues = ["deploy", "default"];
});

builder.Build().Run();
