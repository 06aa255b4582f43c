using Paddock.Persistence;
using Paddock.Workers;
using Paddock.Workers.Reconciliation;

// The worker host: runs the background jobs (deploy, tear down) that the portal enqueues.
var builder = Host.CreateApplicationBuilder(args);
builder.AddPaddockPersistence();
builder.AddEnvironmentJobs();
builder.AddJobServer();
builder.AddReconciler();
builder.AddContainerHostRelay();

builder.Build().Run();
