package weft.bench.load;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Closed-loop HTTP/1.1 keep-alive throughput with wrk 4.x ({@code wrk -t1 -cC -dNs --latency URL}):
 * one generator thread, so the generator stays on the same two cores as everything else and its
 * share is the same for every path. wrk takes whole seconds only, so the run time is rounded (at
 * least 1 s).
 */
public final class Wrk {
  private static final Pattern REQUESTS = Pattern.compile("^\\s*(\\d+) requests in ([0-9.]+)(us|ms|s|m|h),", Pattern.MULTILINE);
  private static final Pattern LATENCY = Pattern.compile("^\\s*Latency\\s+([0-9.]+)(us|ms|s|m|h)\\s", Pattern.MULTILINE);
  private static final Pattern NON_2XX = Pattern.compile("^\\s*Non-2xx or 3xx responses: (\\d+)", Pattern.MULTILINE);
  private static final Pattern SOCKET_ERRORS = Pattern.compile(
      "^\\s*Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)", Pattern.MULTILINE);

  private Wrk() {}

  public static List<String> command(LoadTarget target, int connections, Duration runTime) {
    return List.of("wrk", "-t1", "-c" + connections, "-d" + seconds(runTime) + "s", "--latency",
        "http://" + target.authority() + target.path());
  }

  /** wrk's run time for {@code runTime}: whole seconds, at least one. */
  public static long seconds(Duration runTime) {
    return Math.max(1, Math.round(runTime.toMillis() / 1000.0));
  }

  /** Runs wrk, keeps what it printed in {@code rawOutput} (for a reader of the run), and reads it. */
  public static WrkReport run(LoadTarget target, int connections, Duration runTime, Path rawOutput)
      throws IOException, InterruptedException {
    List<String> cmd = command(target, connections, runTime);
    return parse(GeneratorProcess.run(cmd, Duration.ofSeconds(seconds(runTime)), rawOutput));
  }

  /** Reads wrk 4.x's report; IllegalArgumentException quoting the output when it holds no result. */
  public static WrkReport parse(String output) {
    Matcher requests = REQUESTS.matcher(output);
    if (!requests.find()) {
      throw new IllegalArgumentException("wrk printed no 'N requests in T' line: " + output.strip());
    }
    long count = Long.parseLong(requests.group(1));
    double seconds = Durations.millis(requests.group(2), requests.group(3)) / 1000.0;
    Matcher latency = LATENCY.matcher(output);
    double mean = count > 0 && latency.find() ? Durations.millis(latency.group(1), latency.group(2)) : Double.NaN;
    Matcher non2xx = NON_2XX.matcher(output);
    long bad = non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0;
    Matcher socket = SOCKET_ERRORS.matcher(output);
    long socketErrors = 0;
    if (socket.find()) {
      for (int g = 1; g <= 4; g++) {
        socketErrors += Long.parseLong(socket.group(g));
      }
    }
    return new WrkReport(count, seconds, mean, percentile(output, "50%", count), percentile(output, "90%", count),
        percentile(output, "99%", count), bad, socketErrors);
  }

  private static double percentile(String output, String label, long count) {
    Matcher m = Pattern.compile("^\\s*" + Pattern.quote(label) + "\\s+([0-9.]+)(us|ms|s|m|h)\\s*$", Pattern.MULTILINE)
        .matcher(output);
    return count > 0 && m.find() ? Durations.millis(m.group(1), m.group(2)) : Double.NaN;
  }
}
