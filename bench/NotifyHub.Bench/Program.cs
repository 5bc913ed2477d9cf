using NotifyHub.Bench;

var command = args.Length > 0 ? args[0] : "";
switch (command)
{
    case "ingest":
        return await IngestBenchmark.RunAsync(args[1..]);
    default:
        Console.Error.WriteLine("usage: dotnet run -c Release --project bench/NotifyHub.Bench -- ingest [--requests N] [--concurrency C]");
        return 2;
}
