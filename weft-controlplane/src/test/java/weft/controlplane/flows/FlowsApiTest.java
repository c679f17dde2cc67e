package weft.controlplane.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.TCPAccessLogEntry;
import io.envoyproxy.envoy.service.accesslog.v3.AccessLogServiceGrpc;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import weft.controlplane.ControlPlane;
import weft.controlplane.ControlPlaneOptions;

/**
 * The flow pipeline of a real control plane: Envoy's AccessLogService on the xDS port (a real
 * Netty gRPC server on port 0, a grpc-java client standing in for a proxy), enrichment, the store,
 * and {@code GET /api/v1/flows}.
 */
@Timeout(60)
class FlowsApiTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path tmp;
  static ControlPlane cp;
  static ManagedChannel channel;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    Path config = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(config.resolve("mesh.yaml"), Entries.MESH);
    cp = ControlPlane.start(ControlPlaneOptions.defaults(Optional.of(config), tmp.resolve("data")).withPorts(0, 0)
        .withInsecureXdsPort(0));
    await().atMost(Duration.ofSeconds(20)).until(() -> cp.store().state().resources().workloads().size() == 4);
    // the plaintext port: these tests are about the flows, not who may send them (XdsMutualTlsTest)
    channel = NettyChannelBuilder.forAddress("127.0.0.1", cp.insecureXdsPort().getAsInt()).usePlaintext().build();
    // what a proxy's http_grpc logger sends: the identifier first, then entries
    send("default/jobs-api", "inbound", List.of(
        Entries.inbound("GET", "/jobs/331", 200, "via_upstream"),
        Entries.inbound("POST", "/jobs", 403, "rbac_access_denied_matched_policy[none]")), List.of());
    send("default/jobs-api", "inbound-listener", List.of(), List.of(
        Entries.connection("127.0.50.2", Entries.TWEET_ID, ""),
        Entries.connection("127.0.50.4", "spiffe://cluster.local/ns/default/sa/intruder",
            "rbac_access_denied_matched_policy[0_CiliumNetworkPolicy_default/no-intruder_spec.ingressDeny[0]]")));
    await().atMost(Duration.ofSeconds(10)).until(() -> cp.flows().stats().received() == 3);
  }

  @AfterAll
  static void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    cp.close();
  }

  /** One access log stream: identifier on the first message only, as Envoy sends. */
  static void send(String node, String logName, List<HTTPAccessLogEntry> http, List<TCPAccessLogEntry> tcp) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    StreamObserver<StreamAccessLogsMessage> out = AccessLogServiceGrpc.newStub(channel).streamAccessLogs(observer(done));
    out.onNext(StreamAccessLogsMessage.newBuilder().setIdentifier(StreamAccessLogsMessage.Identifier.newBuilder()
        .setNode(Node.newBuilder().setId(node).setCluster("weft")).setLogName(logName)).build());
    for (HTTPAccessLogEntry e : http) {
      out.onNext(StreamAccessLogsMessage.newBuilder().setHttpLogs(
          StreamAccessLogsMessage.HTTPAccessLogEntries.newBuilder().addLogEntry(e)).build());
    }
    for (TCPAccessLogEntry e : tcp) {
      out.onNext(StreamAccessLogsMessage.newBuilder().setTcpLogs(
          StreamAccessLogsMessage.TCPAccessLogEntries.newBuilder().addLogEntry(e)).build());
    }
    out.onCompleted();
    done.get(10, TimeUnit.SECONDS);
  }

  static StreamObserver<StreamAccessLogsResponse> observer(CompletableFuture<Void> done) {
    return new StreamObserver<>() {
      @Override public void onNext(StreamAccessLogsResponse r) {}
      @Override public void onError(Throwable t) { done.completeExceptionally(t); }
      @Override public void onCompleted() { done.complete(null); }
    };
  }

  static HttpResponse<String> get(String pathAndQuery) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cp.apiPort() + "/api/v1/" + pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static List<JsonNode> lines(String body) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String l : body.split("\n")) {
      if (!l.isBlank()) out.add(JSON.readTree(l));
    }
    return out;
  }

  @Test
  void entriesStreamedByAProxyAreServedAsJsonLines() throws Exception {
    HttpResponse<String> r = get("flows");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
    // oldest first; other tests may add newer ones
    List<JsonNode> flows = lines(r.body());
    assertThat(flows).hasSizeGreaterThanOrEqualTo(3);
    JsonNode ok = flows.get(0);
    assertThat(ok.path("direction").asText()).isEqualTo("ingress");
    assertThat(ok.path("source").path("workload").asText()).isEqualTo("tweet");
    assertThat(ok.path("destination").path("workload").asText()).isEqualTo("jobs-api");
    assertThat(ok.path("http").path("path").asText()).isEqualTo("/jobs/331");
    assertThat(ok.path("verdict").asText()).isEqualTo("FORWARDED");
    assertThat(ok.path("peerIdentity").asText()).isEqualTo(Entries.TWEET_ID);
    assertThat(ok.path("node").asText()).isEqualTo("default/jobs-api");
    assertThat(ok.path("latencyMs").asDouble()).isEqualTo(2.5);
    assertThat(flows.get(2).path("policy").asText()).isEqualTo("CiliumNetworkPolicy default/no-intruder spec.ingressDeny[0]");
  }

  @Test
  void queryFiltersByVerdictSourceAndLimit() throws Exception {
    assertThat(lines(get("flows?verdict=denied").body())).extracting(n -> n.path("source").path("workload").asText())
        .containsExactly("tweet", "intruder");
    assertThat(lines(get("flows?from=default/intruder&to=default/jobs-api").body())).hasSize(1);
    assertThat(lines(get("flows?verdict=denied&limit=1").body())).singleElement()
        .satisfies(n -> assertThat(n.path("source").path("workload").asText()).isEqualTo("intruder"));
    assertThat(lines(get("flows?since=1h").body())).as("the fixtures' start time is in 2027").hasSizeGreaterThanOrEqualTo(3);
    assertThat(lines(get("flows?since=2030-01-01T00:00:00Z").body())).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "since=5 minutes | query parameter since: \"5 minutes\" (expected: a duration such as 30s, 5m, 2h, or an RFC 3339 time such as 2026-01-02T15:04:05Z)",
      "verdict=dropped | query parameter verdict: \"dropped\" (expected: forwarded, denied or error)",
      "limit=0         | query parameter limit: \"0\" (expected: a number from 1 to 1000000)",
      "from=default/a/b | query parameter from: \"default/a/b\" (expected: NAMESPACE/NAME or NAMESPACE)",
      "follow=yes      | query parameter follow: \"yes\" (expected: true or false)",
      "frm=default/x   | unknown query parameter \"frm\" (expected: since, from, to, verdict, limit, follow)"})
  void badQueryValuesAre400NamingTheParameter(String query, String error) throws Exception {
    HttpResponse<String> r = get("flows?" + query.replace(" ", "%20"));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo(error);
  }

  @Test
  void statusCountsEntriesRecordsAndIgnoredListenerLogs() throws Exception {
    JsonNode flows = JSON.readTree(get("status").body()).path("flows");
    assertThat(flows.path("records").asLong()).isGreaterThanOrEqualTo(3);
    assertThat(flows.path("ignored").asLong()).as("the listener log of an allowed connection").isGreaterThanOrEqualTo(1);
    assertThat(flows.path("capacity").asInt()).isEqualTo(ControlPlaneOptions.DEFAULT_FLOW_BUFFER);
    assertThat(flows.path("logStreams").asLong()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void followersStreamNewRecordsAndDoNotStarveOtherCalls() throws Exception {
    // more followers than the API has handler threads (4): each must be off the pool
    List<InputStream> streams = new ArrayList<>();
    try {
      for (int i = 0; i < 6; i++) {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + cp.apiPort() + "/api/v1/flows?follow=true&verdict=error&since=1s")).build(),
            HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        streams.add(r.body());
      }
      assertThat(get("status").statusCode()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(5)).until(() -> cp.flows().stats().followers() == 6);
      send("default/tweet", "outbound", List.of(Entries.outbound("GET", "/jobs/1", 503, "no_healthy_upstream",
          io.envoyproxy.envoy.data.accesslog.v3.ResponseFlags.newBuilder().setNoHealthyUpstream(true).build())), List.of());
      for (InputStream s : streams) {
        BufferedReader reader = new BufferedReader(new InputStreamReader(s, StandardCharsets.UTF_8));
        String line = reader.readLine();
        while (line != null && line.isBlank()) {
          line = reader.readLine();
        }
        JsonNode n = JSON.readTree(line);
        assertThat(n.path("verdict").asText()).isEqualTo("ERROR");
        assertThat(n.path("destination").path("service").asText()).isEqualTo("jobs-api");
        assertThat(n.path("reason").asText()).contains("UH");
      }
    } finally {
      for (InputStream s : streams) {
        s.close();
      }
    }
  }

  @Test
  void aStreamWithoutIdentifierIsRefused() throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    StreamObserver<StreamAccessLogsMessage> out = AccessLogServiceGrpc.newStub(channel).streamAccessLogs(observer(done));
    out.onNext(StreamAccessLogsMessage.newBuilder().setHttpLogs(StreamAccessLogsMessage.HTTPAccessLogEntries.newBuilder()
        .addLogEntry(Entries.inbound("GET", "/", 200, "via_upstream"))).build());
    out.onCompleted();
    assertThat(done).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
        .satisfies(t -> assertThat(Status.fromThrowable(t).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }
}
