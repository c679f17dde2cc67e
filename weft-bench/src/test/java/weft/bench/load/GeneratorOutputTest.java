package weft.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * wrk 4.1.0 and h2load 1.52.0 (Debian bookworm) reports, recorded from real runs against nginx 1.22
 * and HAProxy 2.6 (test resources), read into the figures the harness prints.
 */
class GeneratorOutputTest {
  private static final double MS = 1e-9;

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      // file, requests, seconds, mean ms, p50 ms, p90 ms, p99 ms, non-2xx, socket errors
      "wrk-nginx-small.txt,   74097, 2.00, 0.22192, 0.153, 0.290, 1.90,   0,    0",
      "wrk-haproxy-large.txt, 11527, 2.02, 7.22,    0.820, 10.15, 108.43, 0,    0",
      "wrk-half-503.txt,      13935, 1.00, 0.55104, 0.242, 0.88,  6.22,   7010, 0",
  })
  void wrkReportsRequestsLatencyPercentilesAndErrors(String file, long requests, double seconds, double mean,
      double p50, double p90, double p99, long non2xx, long socketErrors) throws IOException {
    WrkReport r = Wrk.parse(sample(file));
    assertThat(r.requests()).isEqualTo(requests);
    assertThat(r.seconds()).isCloseTo(seconds, within(MS));
    assertThat(r.meanMillis()).isCloseTo(mean, within(MS));
    assertThat(r.p50Millis()).isCloseTo(p50, within(MS));
    assertThat(r.p90Millis()).isCloseTo(p90, within(MS));
    assertThat(r.p99Millis()).isCloseTo(p99, within(MS));
    assertThat(r.non2xx()).isEqualTo(non2xx);
    assertThat(r.socketErrors()).isEqualTo(socketErrors);
  }

  @Test
  void wrkBadStatusesAreErrorsNotThroughput() throws IOException {
    ThroughputResult t = Wrk.parse(sample("wrk-half-503.txt")).throughput();
    assertThat(t.ok()).isEqualTo(13935 - 7010);
    assertThat(t.errors()).isEqualTo(7010);
    assertThat(t.requestsPerSecond()).isCloseTo(6925.0, within(MS));
  }

  @Test
  void wrkSocketErrorsOfEveryKindAddUpAndMissingPercentilesAreNotAvailable() throws IOException {
    // a server that closes every other connection without answering: "Socket errors: ... read 14610"
    WrkReport r = Wrk.parse(sample("wrk-server-closes.txt"));
    assertThat(r.socketErrors()).isEqualTo(14610);
    assertThat(r.throughput().ok()).isEqualTo(7306);
    assertThat(r.throughput().errors()).isEqualTo(14610);
    assertThat(r.p99Millis()).isNaN(); // recorded without --latency
    assertThat(r.meanMillis()).isCloseTo(0.19229, within(MS));
  }

  @Test
  void wrkThatCouldNotConnectIsAnErrorQuotingWrk() throws IOException {
    assertThatThrownBy(() -> Wrk.parse(sample("wrk-unable-to-connect.txt")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unable to connect to 127.0.0.1:18099 Connection refused");
  }

  @Test
  void wrkRunsOneThreadForWholeSecondsWithLatencyDistribution() {
    LoadTarget t = new LoadTarget("127.0.0.1", 8080, "/small");
    assertThat(Wrk.command(t, 32, Duration.ofMillis(2222)))
        .containsExactly("wrk", "-t1", "-c32", "-d2s", "--latency", "http://127.0.0.1:8080/small");
    assertThat(Wrk.seconds(Duration.ofMillis(200))).isEqualTo(1);
    assertThat(Wrk.seconds(Duration.ofMillis(2500))).isEqualTo(3);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      // file, seconds, done, succeeded, failed, errored, mean ms
      "h2load-nginx-small.txt, 2.00, 57052, 57052, 0,     0, 2.64",
      "h2load-nginx-large.txt, 1.51, 28699, 28699, 0,     0, 1.93",
      "h2load-half-503.txt,    1.00, 32267, 16138, 16129, 0, 1.18",
  })
  void h2loadReportsFinishedTimeRequestsAndMeanRequestTime(String file, double seconds, long done, long succeeded,
      long failed, long errored, double mean) throws IOException {
    H2loadReport r = H2load.parse(sample(file));
    assertThat(r.seconds()).isCloseTo(seconds, within(MS));
    assertThat(r.done()).isEqualTo(done);
    assertThat(r.succeeded()).isEqualTo(succeeded);
    assertThat(r.failed()).isEqualTo(failed);
    assertThat(r.errored()).isEqualTo(errored);
    assertThat(r.meanMillis()).isCloseTo(mean, within(MS));
    assertThat(r.throughput().ok()).isEqualTo(succeeded);
    assertThat(r.throughput().errors()).isEqualTo(failed);
  }

  @Test
  void h2loadThatStartedNothingIsAnErrorThoughItExitsZero() throws IOException {
    assertThatThrownBy(() -> H2load.parse(sample("h2load-refused.txt")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("h2load started no request (could it connect?): ");
  }

  @Test
  void h2loadWithoutASummaryIsAnErrorQuotingIt() {
    assertThatThrownBy(() -> H2load.parse("h2load: unrecognized option '--nope'\n"))
        .hasMessage("h2load printed no 'finished in' and 'requests:' summary: h2load: unrecognized option '--nope'");
  }

  @Test
  void h2loadRunsOneThreadTimingBasedWithConcurrentStreams() {
    LoadTarget t = new LoadTarget("127.0.0.1", 8081, "/small");
    assertThat(H2load.command(t, 32, Duration.ofMillis(2222)))
        .containsExactly("h2load", "-t1", "-c32", "-m" + H2load.STREAMS, "-D", "2222ms", "http://127.0.0.1:8081/small");
  }

  private static String sample(String file) throws IOException {
    try (InputStream in = GeneratorOutputTest.class.getResourceAsStream(file)) {
      assertThat(in).as(file).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
