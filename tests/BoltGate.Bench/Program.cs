using BoltGate.Bench;

// The bench's loader (scripts/bench.sh pins it to its own core). Each command prints one JSON line.
//   boltgate  --url U --admin-key K --mode tap|flow --cards N --per-card T --concurrency C [--fail-every F]
//   peer      --url U --key-id I --key HEX --mode tap|flow --count N --concurrency C
//   seed-sqlite --db FILE --issuer-key HEX --cards N      (bulk insert of extra deterministic cards)
return args.FirstOrDefault() switch
{
    "boltgate" => await BoltGateRun.RunAsync(new Args(args[1..])),
    "peer" => await PeerRun.RunAsync(new Args(args[1..])),
    "seed-sqlite" => SqliteSeeder.Run(new Args(args[1..])),
    "report" => Report.Run(new Args(args[1..])),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: BoltGate.Bench boltgate|peer|seed-sqlite --option value ...");
    return 2;
}
