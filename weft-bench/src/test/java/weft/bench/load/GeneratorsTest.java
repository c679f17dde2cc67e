package weft.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import weft.bench.proxy.Backend;

/** The generators against the built-in backend, in process: counts, not speed. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GeneratorsTest {
  static Backend backend;
  static ClientGroup clients;

  @BeforeAll
  static void start() throws InterruptedException {
    backend = Backend.start(1);
    clients = new ClientGroup(1);
  }

  @AfterAll
  static void stop() {
    clients.close();
    backend.close();
  }

  @Test
  void closedLoopCountsOnlyOkResponsesOfBothBodySizes() throws InterruptedException {
    for (String path : new String[] {"/small", "/large"}) {
      ThroughputResult r = ClosedLoop.run(clients, new LoadTarget("127.0.0.1", backend.port(), path), 2,
          Duration.ofMillis(500));
      assertThat(r.ok()).as(path).isPositive();
      assertThat(r.errors()).as(path).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void openLoopRecordsOneLatencyPerIntendedRequest(Protocol protocol) throws InterruptedException {
    LatencyResult r = OpenLoop.run(clients, new LoadTarget("127.0.0.1", backend.port(), "/small"), protocol, 200, 2,
        Duration.ofSeconds(1));
    // 200/s for 1 s: about 200 intended sends, each recorded once (answered or still owed at the end)
    assertThat(r.intended()).isBetween(150L, 250L);
    assertThat(r.micros().getTotalCount()).isEqualTo(r.intended());
    assertThat(r.ok() + r.errors()).isEqualTo(r.intended());
    assertThat(r.ok()).isPositive();
  }

  @Test
  void aStalledServerShowsAsLatencyOfEveryRequestThatWasDueMeanwhile() throws Exception {
    // a listener that accepts and never answers: the one request sent waits the whole run, and the
    // ~99 that were due behind it are recorded too, with the time they had waited (coordinated omission)
    try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      LatencyResult r = OpenLoop.run(clients, new LoadTarget("127.0.0.1", silent.getLocalPort(), "/"), Protocol.H1,
          100, 1, Duration.ofSeconds(1));
      assertThat(r.ok()).isZero();
      assertThat(r.micros().getTotalCount()).isGreaterThanOrEqualTo(90);
      assertThat(r.percentileMillis(50)).isGreaterThan(300);
      assertThat(r.micros().getMaxValue() / 1000.0).isGreaterThan(900);
    }
  }
}
