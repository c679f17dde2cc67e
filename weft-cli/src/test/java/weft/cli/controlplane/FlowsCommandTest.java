package weft.cli.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import weft.cli.Cli;
import weft.cli.Main;
import weft.controlplane.ControlPlane;
import weft.controlplane.ControlPlaneOptions;
import weft.controlplane.flows.FlowRecord;
import weft.controlplane.flows.FlowRecord.Verdict;

/** {@code weft flows} against a running control plane's flow store (issue 5, "Flow visibility"). */
@Timeout(60)
class FlowsCommandTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant T = Instant.parse("2026-11-21T12:40:01.123Z");
  static final String TWEET = "spiffe://cluster.local/ns/default/sa/tweet";

  @TempDir static Path tmp;
  static ControlPlane cp;
  static String server;

  @BeforeAll
  static void start() throws Exception {
    Path config = Files.createDirectories(tmp.resolve("config"));
    cp = ControlPlane.start(ControlPlaneOptions.defaults(Optional.of(config), tmp.resolve("data")).withPorts(0, 0));
    server = "http://127.0.0.1:" + cp.apiPort();
    cp.flows().add(denied());
    cp.flows().add(forwarded());
    cp.flows().add(tcpError());
  }

  @AfterAll
  static void stop() {
    cp.close();
  }

  static FlowRecord denied() {
    return new FlowRecord(T, FlowRecord.Direction.INGRESS,
        new FlowRecord.Source("default", "tweet", TWEET, "127.0.20.2:40000"),
        new FlowRecord.Destination("default", "jobs-api", null, "127.0.20.1", 80), "http/1.1",
        new FlowRecord.Http("POST", "/jobs", 403), Verdict.DENIED, "CiliumNetworkPolicy default/jobs-api spec.ingress[0].toPorts[0]",
        "ingress to default/jobs-api: no HTTP rule matches POST /jobs host jobs-api", Duration.ofMillis(1), TWEET,
        "default/jobs-api", 120, 80);
  }

  static FlowRecord forwarded() {
    return new FlowRecord(T.plusMillis(5), FlowRecord.Direction.EGRESS,
        new FlowRecord.Source("default", "recruiter", "spiffe://cluster.local/ns/default/sa/recruiter", "127.0.0.1:5000"),
        new FlowRecord.Destination("default", "jobs-api", "jobs-api", "127.0.20.1", 80), "http/1.1",
        new FlowRecord.Http("GET", "/applicants/1", 200), Verdict.FORWARDED, null, "", Duration.ofMillis(3), null,
        "default/recruiter", 90, 400);
  }

  static FlowRecord tcpError() {
    return new FlowRecord(T.plusSeconds(1), FlowRecord.Direction.EGRESS,
        new FlowRecord.Source("default", "tweet", TWEET, "127.0.0.1:5001"),
        new FlowRecord.Destination("default", null, "db", null, 5432), "tcp", null, Verdict.ERROR, null,
        "response flags UF", null, null, "default/tweet", 0, 0);
  }

  @Test
  void printsOneAlignedLinePerFlowOldestFirst() {
    FlowLine render = new FlowLine(ZoneOffset.UTC, false);
    StringBuilder out = new StringBuilder();
    var flows = Stream.of(denied(), forwarded(), tcpError()).map(FlowsCommandTest::json).toList();
    flows.forEach(render::fit);
    flows.forEach(f -> out.append(render.line(f)).append('\n'));
    assertThat(out.toString()).isEqualTo("""
        12:40:01.123  default/tweet (mTLS spiffe://cluster.local/ns/default/sa/tweet)  ->  default/jobs-api:80  http ingress  DENIED     POST /jobs 403  policy CiliumNetworkPolicy default/jobs-api spec.ingress[0].toPorts[0]
        12:40:01.128  default/recruiter                                                ->  default/jobs-api:80  http egress   FORWARDED  GET /applicants/1 200
        12:40:02.123  default/tweet                                                    ->  default/db:5432      tcp egress    ERROR      bytes in 0 out 0  response flags UF
        """);
  }

  @Test
  void colourMarksTheVerdictOnly() {
    String line = new FlowLine(ZoneOffset.UTC, true).line(json(denied()));
    assertThat(line).contains("\u001b[31mDENIED   \u001b[0m").startsWith("12:40:01.123  default/tweet");
  }

  static JsonNode json(FlowRecord r) {
    // what the API serves for the record: the test goes through the real endpoint once
    Cli run = Cli.run("flows", "-o", "json", "--server", server);
    for (String l : run.out().split("\n")) {
      try {
        JsonNode n = JSON.readTree(l);
        if (n.path("time").asText().equals(r.time().toString())) {
          return n;
        }
      } catch (java.io.IOException e) {
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("record at " + r.time() + " not served: " + run);
  }

  @Test
  void jsonOutputIsTheApisJsonLines() throws Exception {
    Cli r = Cli.run("flows", "-o", "json", "--verdict", "denied", "--server", server);
    assertThat(r.status()).as(r.err()).isZero();
    JsonNode n = JSON.readTree(r.out().strip());
    assertThat(n.path("verdict").asText()).isEqualTo("DENIED");
    assertThat(n.path("source").path("workload").asText()).isEqualTo("tweet");
    assertThat(n.path("policy").asText()).isEqualTo("CiliumNetworkPolicy default/jobs-api spec.ingress[0].toPorts[0]");
    assertThat(n.path("peerIdentity").asText()).isEqualTo(TWEET);
  }

  @Test
  void filtersGoToTheApi() {
    Cli r = Cli.run("flows", "--from", "default/recruiter", "--to", "default/jobs-api", "--color", "never",
        "--server", server);
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out().lines()).singleElement().satisfies(l -> assertThat(l).contains("GET /applicants/1 200"));
  }

  @Test
  void badOptionsAreUsageErrorsNamingTheOption() {
    Cli since = Cli.run("flows", "--since", "5x", "--server", server);
    assertThat(since.status()).isEqualTo(2);
    assertThat(since.err()).contains("error: --since 5x (expected: a number with s, m or h, e.g. 30s, 5m, 2h)\n");
    Cli verdict = Cli.run("flows", "--verdict", "dropped", "--server", server);
    assertThat(verdict.err()).contains("error: --verdict dropped (expected: forwarded, denied or error)\n");
    Cli from = Cli.run("flows", "--from", "tweet/", "--server", server);
    assertThat(from.err()).contains("error: --from tweet/ (expected: NAMESPACE/NAME");
  }

  @Test
  void theFlowBufferSizeIsAControlPlaneOption() throws Exception {
    Path config = Files.createDirectories(tmp.resolve("buffer-config"));
    Cli r = Cli.run("controlplane", "--config-dir", config.toString(), "--flow-buffer", "0");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("error: --flow-buffer 0 (expected: at least 1)");
  }

  @Test
  void saysWhereItLookedWhenTheControlPlaneIsUnreachable() {
    Cli r = Cli.run("flows", "--server", "http://127.0.0.1:1");
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err()).contains("error: cannot reach the control plane at http://127.0.0.1:1");
  }

  @Test
  void aStreamTheServerRefusesIsReportedWithItsErrorAndDetails() throws Exception {
    // a control plane that refuses the stream (here: an HTTP server answering as the API does on errors)
    HttpServer refusing = HttpServer.create(
        new InetSocketAddress("127.0.0.1", 0), 0);
    refusing.createContext("/api/v1/flows", ex -> {
      byte[] body = "{\"error\": \"too many followers\", \"details\": [\"limit 64\"]}"
          .getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(503, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    refusing.start();
    try {
      String url = "http://127.0.0.1:" + refusing.getAddress().getPort();
      for (String[] args : new String[][] {{"flows", "--follow"}, {"flows", "-o", "json"}, {"flows"}}) {
        Cli r = Cli.run(Stream.concat(Arrays.stream(args), Stream.of("--server", url))
            .toArray(String[]::new));
        assertThat(r.status()).as(String.join(" ", args)).isEqualTo(1);
        assertThat(r.out()).as(String.join(" ", args)).isEmpty();
        assertThat(r.err()).as(String.join(" ", args)).contains("too many followers").contains("  limit 64");
      }
    } finally {
      refusing.stop(0);
    }
  }

  @Test
  void followPrintsNewFlowsUntilTheControlPlaneEndsTheStream() throws Exception {
    Path config = Files.createDirectories(tmp.resolve("follow-config"));
    ControlPlane other = ControlPlane.start(ControlPlaneOptions.defaults(Optional.of(config), tmp.resolve("follow-data")).withPorts(0, 0));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> Main.run(
        new PrintWriter(out, true), new PrintWriter(err, true), "flows", "--follow", "--color", "never", "--server", "http://127.0.0.1:" + other.apiPort()));
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> other.flows().stats().followers() == 1);
      other.flows().add(denied());
      await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains("POST /jobs 403"));
    } finally {
      other.close();
    }
    assertThat(status.get(20, java.util.concurrent.TimeUnit.SECONDS)).as(err.toString()).isZero();
  }
}
