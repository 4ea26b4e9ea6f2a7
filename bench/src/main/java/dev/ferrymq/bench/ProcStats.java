package dev.ferrymq.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** CPU time and resident memory of processes, read from {@code /proc} (Linux; -1 elsewhere). */
final class ProcStats {

  /** Clock ticks per second of {@code /proc/<pid>/stat} ({@code getconf CLK_TCK}; 100 on Linux). */
  private static final long TICKS_PER_SECOND = 100;

  private ProcStats() {
  }

  /** @return user + system CPU time of {@code pid} in nanoseconds, or -1 */
  static long cpuNanos(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // fields after the command name start at field 3 (state): utime is field 14, stime 15
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      return ticks * (1_000_000_000L / TICKS_PER_SECOND);
    } catch (Exception e) {
      return -1;
    }
  }

  /** @return the resident set size of {@code pid} in KiB, or -1 */
  static long rssKiB(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
    } catch (Exception ignored) {
      // gone, or not Linux
    }
    return -1;
  }

  static long cpuNanos(List<Long> pids) {
    return sum(pids, ProcStats::cpuNanos);
  }

  static long rssKiB(List<Long> pids) {
    return sum(pids, ProcStats::rssKiB);
  }

  /** @return {@code of} summed over {@code pids}, or -1 when it is unknown for one of them */
  private static long sum(List<Long> pids, java.util.function.LongUnaryOperator of) {
    long sum = 0;
    for (long p : pids) {
      long v = of.applyAsLong(p);
      if (v < 0) {
        return -1;
      }
      sum += v;
    }
    return sum;
  }

  /** @return the 1-minute load average */
  static String load1() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (Exception e) {
      return "?";
    }
  }
}
