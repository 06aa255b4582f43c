// One world at a time: each runs a portal (and in the deploying world, workers and an edge) as processes, and the
// browser, those processes and the engine on two cores gain nothing from running collections side by side.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
