package dev.ferrymq.bench;

/** Command-line options of {@code scripts/bench}, with the defaults of the peers' workload definitions. */
final class BenchOptions {

  String workload;
  String path = "in-process";
  int secs = 8;
  int warm = 2;
  int size = 1024;
  int subs = 10;
  int concurrency = 1;
  int window = 1000;
  int confirmWindow = 256;
  int rate;
  boolean json;

  static BenchOptions parse(String[] args) {
    if (args.length == 0 || args[0].startsWith("-")) {
      throw new IllegalArgumentException("usage: bench <w1|w2|w3|w4|lat> [--secs 8] [--warm 2] [--size 1024] "
        + "[--subs 10] [--conc 1] [--window 1000] [--cwin 256] [--rate R] [--json]");
    }
    BenchOptions o = new BenchOptions();
    o.workload = args[0].toLowerCase();
    if (o.workload.equals("lat")) {
      o.workload = "w1";
      o.rate = 1000;
    }
    for (int i = 1; i < args.length; i++) {
      String k = args[i];
      if (k.equals("--json")) {
        o.json = true;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(k + " needs a value");
      }
      String v = args[++i];
      switch (k) {
        case "--secs" -> o.secs = Integer.parseInt(v);
        case "--warm" -> o.warm = Integer.parseInt(v);
        case "--size" -> o.size = Integer.parseInt(v);
        case "--subs" -> o.subs = Integer.parseInt(v);
        case "--conc" -> o.concurrency = Integer.parseInt(v);
        case "--window" -> o.window = Integer.parseInt(v);
        case "--cwin" -> o.confirmWindow = Integer.parseInt(v);
        case "--rate" -> o.rate = Integer.parseInt(v);
        default -> throw new IllegalArgumentException("unknown option " + k);
      }
    }
    if (o.size < 8) {
      throw new IllegalArgumentException("--size must be at least 8 (the latency stamp)");
    }
    return o;
  }

  String label() {
    String name = workload.toUpperCase();
    if (rate > 0) {
      name += " @" + rate + "/s";
    }
    if (workload.equals("w4")) {
      name += " x" + concurrency;
    }
    return name + " " + path;
  }
}
