// One app and one browser at a time: the machines have two cores, and timings (first render) should mean something.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
