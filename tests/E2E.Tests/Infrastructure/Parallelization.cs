// One portal at a time: Hangfire keeps its job storage in a process-wide static (JobStorage.Current), so two portals
// on two databases in one test process would enqueue into each other's queues. The browser and the engine on two
// cores gain nothing from running collections side by side anyway.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
