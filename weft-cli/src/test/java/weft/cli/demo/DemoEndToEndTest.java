package weft.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import weft.cli.demo.Demo.DemoException;
import weft.controlplane.flows.FlowFilter;
import weft.controlplane.flows.FlowRecord;

/**
 * The whole demo on real sockets: control plane, jobs-api, three in-process proxies with mTLS, and
 * the three stages of issue 5 with the statuses the story promises.
 */
class DemoEndToEndTest {
  @TempDir Path dataDir;

  private final List<String> printed = Collections.synchronizedList(new ArrayList<>());

  /** A loopback /24 of its own, so the test does not meet a demo running on this machine. */
  private static String randomNet() {
    return "127.0." + ThreadLocalRandom.current().nextInt(100, 250);
  }

  private static Map<String, Integer> statuses(List<StageWalk.Row> rows) {
    return rows.stream().collect(Collectors.toMap(r -> r.client() + " " + r.method() + " " + r.path(),
        StageWalk.Row::status, (a, b) -> a, java.util.LinkedHashMap::new));
  }

  @org.junit.jupiter.api.AfterEach
  void showWhatTheDemoPrinted() {
    printed.forEach(System.out::println);
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void walksFromOpenToLeastPrivilegeAndStopsCleanly() throws Exception {
    String net = randomNet();
    DemoOptions options = new DemoOptions(dataDir, 0, false, net, 0, 0, 3600);
    InetSocketAddress api;
    InetSocketAddress inbound;
    InetSocketAddress tweetOutbound;
    try (Demo demo = Demo.start(options, printed::add)) {
      api = new InetSocketAddress("127.0.0.1", demo.apiPort());
      inbound = demo.jobsApiInbound();
      tweetOutbound = demo.client("tweet").outbound();
      int port = demo.resources().port();

      demo.stage(1);
      Map<String, Integer> s1 = statuses(StageWalk.run(demo, printed::add));
      assertThat(s1).containsEntry("tweet GET /jobs/331", 200)
          .containsEntry("tweet POST /jobs", 201)
          .containsEntry("tweet GET /applicants/1", 200)
          .containsEntry("recruiter GET /applicants/1", 200)
          .containsEntry("recruiter POST /jobs", 201)
          // STRICT mTLS: a client without a sidecar does not get an HTTP answer at all
          .containsEntry("plaintext GET /jobs/331", 0);

      demo.stage(2);
      Instant stage2 = Instant.now();
      Map<String, Integer> s2 = statuses(StageWalk.run(demo, printed::add));
      assertThat(s2).as("the exposure: L3/L4 lets tweet write and read personal data")
          .containsEntry("tweet GET /jobs/331", 200)
          .containsEntry("tweet POST /jobs", 201)
          .containsEntry("tweet GET /applicants/1", 200)
          .containsEntry("recruiter GET /applicants/1", 200)
          .containsEntry("recruiter POST /jobs", 201);
      // jobs-api's sidecar reports the write it let through (flows arrive within the loggers' 250 ms flush)
      FlowRecord exposed = awaitFlow(demo, stage2, "tweet", "POST", "/jobs", FlowRecord.Verdict.FORWARDED);
      assertThat(exposed.http().status()).isEqualTo(201);
      assertThat(exposed.policy()).as("the L3/L4 rule that allowed it").startsWith("CiliumNetworkPolicy default/jobs-api");

      demo.stage(3);
      Instant stage3 = Instant.now();
      Map<String, Integer> s3 = statuses(StageWalk.run(demo, printed::add));
      assertThat(s3)
          .containsEntry("tweet GET /jobs/331", 200)
          .containsEntry("tweet POST /jobs", 403)
          .containsEntry("tweet GET /applicants/1", 403)
          .containsEntry("recruiter GET /jobs/331", 200)
          .containsEntry("recruiter GET /applicants/1", 200)
          .containsEntry("recruiter POST /jobs", 201);
      assertThat(printed).anySatisfy(l -> assertThat(l).contains("spiffe://cluster.local/ns/default/sa/tweet"));
      FlowRecord denied = awaitFlow(demo, stage3, "tweet", "POST", "/jobs", FlowRecord.Verdict.DENIED);
      assertThat(denied.http().status()).isEqualTo(403);
      assertThat(denied.policy()).as("the L7 policy that denied it").startsWith("CiliumNetworkPolicy default/jobs-api spec.ingress[0]");
      assertThat(denied.peerIdentity()).isEqualTo(Demo.spiffeId("tweet"));
      FlowRecord read = awaitFlow(demo, stage3, "tweet", "GET", "/jobs/331", FlowRecord.Verdict.FORWARDED);
      assertThat(read.peerIdentity()).isEqualTo(Demo.spiffeId("tweet"));
      assertThat(read.policy()).startsWith("CiliumNetworkPolicy default/jobs-api spec.ingress[0]");
      FlowRecord post = awaitFlow(demo, stage3, "recruiter", "POST", "/jobs", FlowRecord.Verdict.FORWARDED);
      assertThat(post.peerIdentity()).isEqualTo(Demo.spiffeId("recruiter"));
      assertThat(post.policy()).startsWith("CiliumNetworkPolicy default/jobs-api spec.ingress[1]");

      assertThatThrownBy(() -> Demo.start(new DemoOptions(dataDir, 0, false, randomNet(), 0, 0, 3600), printed::add))
          .isInstanceOf(DemoException.class).hasMessageContaining("another weft demo is running");
      assertThat(port).isIn(80, 8080);
    }
    for (InetSocketAddress a : List.of(api, inbound, tweetOutbound)) {
      assertThat(listening(a)).as("%s still listening after close", a).isFalse();
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void startingAtStageThreeDeniesTweetsWrites() throws Exception {
    try (Demo demo = Demo.start(new DemoOptions(dataDir, 3, false, randomNet(), 0, 0, 3600), printed::add)) {
      Map<String, Integer> s3 = statuses(StageWalk.run(demo, printed::add));
      assertThat(s3)
          .containsEntry("tweet GET /jobs/331", 200)
          .containsEntry("tweet POST /jobs", 403)
          .containsEntry("tweet GET /applicants/1", 403)
          .containsEntry("recruiter GET /applicants/1", 200)
          .containsEntry("recruiter POST /jobs", 201);
    }
  }

  /** The flow jobs-api's sidecar (ingress) reported for {@code client}'s request since {@code since}. */
  private static FlowRecord awaitFlow(Demo demo, Instant since, String client, String method, String path,
      FlowRecord.Verdict verdict) {
    FlowFilter filter = new FlowFilter(Optional.of("default/" + client), Optional.of("default/jobs-api"), Optional.of(verdict),
        Optional.of(since.minusMillis(5)));
    return await().atMost(Duration.ofSeconds(10)).until(() -> demo.flows().query(filter, 1000).stream()
        .filter(r -> r.direction() == FlowRecord.Direction.INGRESS && r.http() != null
            && r.http().method().equals(method) && r.http().path().equals(path))
        .findFirst(), Optional::isPresent).orElseThrow();
  }

  private static boolean listening(InetSocketAddress a) {
    try (Socket s = new Socket()) {
      s.connect(a, 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
