package weft.bench.load;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Closed-loop h2c (prior knowledge) throughput with nghttp2's h2load, timing-based
 * ({@code h2load -t1 -cC -mM -D TIME URL}): one generator thread as with wrk, {@code M} concurrent
 * streams per connection, each stream replaced as soon as it completes.
 */
public final class H2load {
  /** Concurrent streams per connection: enough to keep an h2 connection busy without one huge queue. */
  public static final int STREAMS = 10;

  private static final Pattern FINISHED =
      Pattern.compile("^finished in ([0-9.]+)(us|ms|s|m|h), ([0-9.]+) req/s", Pattern.MULTILINE);
  private static final Pattern REQUESTS = Pattern.compile("^requests: (\\d+) total, (\\d+) started, (\\d+) done, "
      + "(\\d+) succeeded, (\\d+) failed, (\\d+) errored, (\\d+) timeout", Pattern.MULTILINE);
  private static final Pattern REQUEST_TIME = Pattern.compile(
      "^time for request:\\s+\\S+\\s+\\S+\\s+([0-9.]+)(us|ms|s|m|h)\\s", Pattern.MULTILINE);

  private H2load() {}

  public static List<String> command(LoadTarget target, int connections, Duration runTime) {
    return List.of("h2load", "-t1", "-c" + connections, "-m" + STREAMS, "-D", runTime.toMillis() + "ms",
        "http://" + target.authority() + target.path());
  }

  /** Runs h2load, keeps what it printed in {@code rawOutput} (for a reader of the run), and reads it. */
  public static H2loadReport run(LoadTarget target, int connections, Duration runTime, Path rawOutput)
      throws IOException, InterruptedException {
    return parse(GeneratorProcess.run(command(target, connections, runTime), runTime, rawOutput));
  }

  /**
   * Reads h2load's summary; IllegalArgumentException quoting the output when it holds none, or when
   * no request even started (h2load reports a refused connection only that way, with exit status 0).
   */
  public static H2loadReport parse(String output) {
    Matcher finished = FINISHED.matcher(output);
    Matcher requests = REQUESTS.matcher(output);
    if (!finished.find() || !requests.find()) {
      throw new IllegalArgumentException("h2load printed no 'finished in' and 'requests:' summary: " + output.strip());
    }
    long started = Long.parseLong(requests.group(2));
    if (started == 0) {
      throw new IllegalArgumentException("h2load started no request (could it connect?): " + output.strip());
    }
    double seconds = Durations.millis(finished.group(1), finished.group(2)) / 1000.0;
    long done = Long.parseLong(requests.group(3));
    Matcher time = REQUEST_TIME.matcher(output);
    double mean = done > 0 && time.find() ? Durations.millis(time.group(1), time.group(2)) : Double.NaN;
    return new H2loadReport(seconds, done, Long.parseLong(requests.group(4)), Long.parseLong(requests.group(5)),
        Long.parseLong(requests.group(6)), mean);
  }
}
