using NotifyHub.Bench;

// Benchmarks that anyone can rerun against a real Azurite; each writes its results to bench/results/.
var command = args.Length > 0 ? args[0] : "";
switch (command)
{
    case "ingest":
        return await IngestBenchmark.RunAsync(args[1..]);
    case "deliver":
        return await DeliveryBenchmark.RunAsync(args[1..]);
    case "gias":
        return await GiasBenchmark.RunAsync(args[1..]);
    case "timeliness":
        return await TimelinessBenchmark.RunAsync(args[1..]);
    case "evidence":
        return await EvidenceBenchmark.RunAsync(args[1..]);
    default:
        Console.Error.WriteLine("""
            usage: dotnet run -c Release --project bench/NotifyHub.Bench -- ingest [--requests 2000] [--rounds 8] [--warmup 1000] [--concurrency 8] [--on-disk]
                   dotnet run -c Release --project bench/NotifyHub.Bench -- deliver [--incidents 300] [--rate 5] [--seconds 30] [--concurrency 8]
                   dotnet run -c Release --project bench/NotifyHub.Bench -- gias [--rows 50000] [--concurrency 32] [--no-write]
                   dotnet run -c Release --project bench/NotifyHub.Bench -- timeliness [--history 100000] [--deliveries 250000] [--las 10]
                   dotnet run -c Release --project bench/NotifyHub.Bench -- evidence [--incidents 5000] [--events 8] [--anchors 30] [--history 40] [--others 1000] [--span 365] [--runs 200]
            """);
        return 2;
}
