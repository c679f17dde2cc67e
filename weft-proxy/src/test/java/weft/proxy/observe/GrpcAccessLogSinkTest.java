package weft.proxy.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.extensions.access_loggers.grpc.v3.CommonGrpcAccessLogConfig;
import io.envoyproxy.envoy.extensions.access_loggers.grpc.v3.HttpGrpcAccessLogConfig;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;

/**
 * The sink's lifecycle: loggers shared across config generations keep their stream, loggers a new
 * generation dropped flush and end theirs (Envoy drains a replaced logger), close stops everything.
 */
@Timeout(30)
class GrpcAccessLogSinkTest {
  private final StatsStore stats = new StatsStore();
  private TestAccessLogCollector collector;
  private GrpcAccessLogSink sink;

  @BeforeEach
  void start() throws Exception {
    collector = new TestAccessLogCollector();
    sink = new GrpcAccessLogSink(stats, Node.newBuilder().setId("n1").build(), 64);
  }

  @AfterEach
  void stop() throws Exception {
    sink.close();
    collector.close();
  }

  private AccessLogger compile(GrpcAccessLogSink.Generation gen, String logName) throws Exception {
    var cfg = HttpGrpcAccessLogConfig.newBuilder().setCommonConfig(
        CommonGrpcAccessLogConfig.newBuilder().setLogName(logName)
            .setBufferFlushInterval(Duration.newBuilder().setNanos(20_000_000))
            .setGrpcService(GrpcService.newBuilder().setEnvoyGrpc(
                GrpcService.EnvoyGrpc.newBuilder().setClusterName("als")))).build();
    ConfigProblems problems = new ConfigProblems();
    var ctx = new GrpcAccessLogs.Context(gen,
        (name, path, p) -> new GrpcAccessLogs.Collector(
            () -> new InetSocketAddress("127.0.0.1", collector.port()), null));
    AccessLogger l = GrpcAccessLogs.compile(Any.pack(cfg), ConfigPath.of("typed_config"),
        problems, ctx);
    assertThat(problems.list()).isEmpty();
    return l;
  }

  @Test
  void aLoggerKeptByTheNextGenerationKeepsItsStream() throws Exception {
    AccessLogger first = compile(sink.newGeneration(), "flows");
    first.log(new FakeRecord());
    await().until(() -> collector.http("flows").size() == 1);
    GrpcAccessLogSink.Generation next = sink.newGeneration();
    AccessLogger second = compile(next, "flows");
    next.retain();
    second.log(new FakeRecord());
    await().until(() -> collector.http("flows").size() == 2);
    assertThat(collector.streams).hasSize(1);
    assertThat(collector.streams.get(0).ended).isFalse();
  }

  @Test
  void aLoggerTheNextGenerationDroppedEndsItsStreamAndDropsLaterEntries() throws Exception {
    AccessLogger old = compile(sink.newGeneration(), "old");
    old.log(new FakeRecord());
    await().until(() -> collector.http("old").size() == 1);
    sink.newGeneration().retain();
    await().until(() -> collector.streams("old").get(0).ended);
    old.log(new FakeRecord());
    assertThat(stats.counter("access_logs.grpc_access_log.logs_dropped").value()).isEqualTo(1);
    assertThat(stats.counter("access_logs.grpc_access_log.logs_written").value()).isEqualTo(1);
  }

  @Test
  void closeSendsWhatIsBufferedEndsStreamsAndStopsTheSenderThread() throws Exception {
    AccessLogger l = compile(sink.newGeneration(), "last");
    l.log(new FakeRecord());
    await().until(() -> collector.http("last").size() == 1);
    assertThat(sink.senderAlive()).isTrue();
    sink.close();
    assertThat(sink.senderAlive()).isFalse();
    await().until(() -> collector.streams("last").get(0).ended);
    l.log(new FakeRecord());
    assertThat(stats.counter("access_logs.grpc_access_log.logs_dropped").value()).isEqualTo(1);
  }

  @Test
  void aBrokenStreamReconnectsAndSendsTheIdentifierAgain() throws Exception {
    AccessLogger l = compile(sink.newGeneration(), "again");
    l.log(new FakeRecord());
    await().until(() -> collector.http("again").size() == 1);
    int port = collector.port();
    collector.close();
    collector = new TestAccessLogCollector(port);
    // entries logged while the stream is down are buffered or dropped; keep logging until one lands
    await().atMost(java.time.Duration.ofSeconds(15)).until(() -> {
      l.log(new FakeRecord());
      return !collector.http("again").isEmpty();
    });
    var first = collector.streams("again").get(0).messages.get(0);
    assertThat(first.getIdentifier().getLogName()).isEqualTo("again");
    assertThat(first.getIdentifier().getNode().getId()).isEqualTo("n1");
  }

  @Test
  void aSinkNobodyLogsToStartsNoThread() {
    GrpcAccessLogSink idle = new GrpcAccessLogSink(stats, Node.getDefaultInstance(), 8);
    idle.newGeneration().retain();
    idle.close();
    assertThat(idle.senderAlive()).isFalse();
  }
}
