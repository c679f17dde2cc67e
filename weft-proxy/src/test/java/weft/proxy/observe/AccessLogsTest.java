package weft.proxy.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLogFilter;
import io.envoyproxy.envoy.config.accesslog.v3.ComparisonFilter;
import io.envoyproxy.envoy.config.accesslog.v3.StatusCodeFilter;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.RuntimeUInt32;
import io.envoyproxy.envoy.config.core.v3.SubstitutionFormatString;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;

/** Envoy's file/stdout access loggers (api config.accesslog.v3, extensions.access_loggers). */
@Timeout(20)
class AccessLogsTest {
  @TempDir Path dir;
  private final StatsStore stats = new StatsStore();
  private final AccessLogWriter writer = new AccessLogWriter(stats, 1024);
  private final ConfigProblems problems = new ConfigProblems();

  @AfterEach
  void close() throws InterruptedException {
    writer.close();
  }

  private AccessLog fileLog(Path file, SubstitutionFormatString format) {
    FileAccessLog.Builder f = FileAccessLog.newBuilder().setPath(file.toString());
    if (format != null) {
      f.setLogFormat(format);
    }
    return AccessLog.newBuilder()
        .setName("envoy.access_loggers.file")
        .setTypedConfig(Any.pack(f.build()))
        .build();
  }

  private AccessLogger compile(AccessLog... logs) {
    return AccessLogs.compile(List.of(logs), ConfigPath.of("access_log"), problems, writer);
  }

  private static String read(Path file) throws Exception {
    return Files.exists(file) ? Files.readString(file) : "";
  }

  @Test
  void fileLoggerWritesEnvoysDefaultLineOffTheCallingThread() throws Exception {
    Path file = dir.resolve("access.log");
    AccessLogger logger = compile(fileLog(file, null));
    assertThat(problems.list()).isEmpty();
    FakeRecord r = new FakeRecord();
    r.protocol = "HTTP/2";
    r.method = "POST";
    r.path = "/kv.KV/Get";
    logger.log(r);
    await().atMost(Duration.ofSeconds(5)).until(() -> read(file).endsWith("\n"));
    assertThat(read(file)).contains("\"POST /kv.KV/Get HTTP/2\" 200 - 0 42 12 - ");
    assertThat(stats.counter("access_logs.logs_written").value()).isEqualTo(1);
  }

  @Test
  void textFormatSourceAndStatusCodeFilter() throws Exception {
    Path file = dir.resolve("errors.log");
    SubstitutionFormatString fmt =
        SubstitutionFormatString.newBuilder()
            .setTextFormatSource(
                DataSource.newBuilder().setInlineString("%RESPONSE_CODE% %UPSTREAM_CLUSTER%\n"))
            .build();
    AccessLogFilter onlyErrors =
        AccessLogFilter.newBuilder()
            .setStatusCodeFilter(
                StatusCodeFilter.newBuilder()
                    .setComparison(
                        ComparisonFilter.newBuilder()
                            .setOp(ComparisonFilter.Op.GE)
                            .setValue(
                                RuntimeUInt32.newBuilder()
                                    .setDefaultValue(500)
                                    .setRuntimeKey("access_log.min_status"))))
            .build();
    AccessLogger logger = compile(fileLog(file, fmt).toBuilder().setFilter(onlyErrors).build());
    assertThat(problems.list()).isEmpty();
    FakeRecord ok = new FakeRecord();
    FakeRecord bad = new FakeRecord();
    bad.code = 503;
    logger.log(ok);
    logger.log(bad);
    await().atMost(Duration.ofSeconds(5)).until(() -> !read(file).isEmpty());
    writer.close();
    assertThat(read(file)).isEqualTo("503 backend\n");
  }

  @Test
  void jsonFormatTypesNumbersAndNullsAbsentValues() throws Exception {
    Path file = dir.resolve("json.log");
    Struct json =
        Struct.newBuilder()
            .putFields("code", Value.newBuilder().setStringValue("%RESPONSE_CODE%").build())
            .putFields("path", Value.newBuilder().setStringValue("%REQ(:PATH)%").build())
            .putFields("xff", Value.newBuilder().setStringValue("%REQ(X-FORWARDED-FOR)%").build())
            .putFields(
                "line", Value.newBuilder().setStringValue("%REQ(:METHOD)% %PROTOCOL%").build())
            .build();
    compile(fileLog(file, SubstitutionFormatString.newBuilder().setJsonFormat(json).build()))
        .log(new FakeRecord());
    assertThat(problems.list()).isEmpty();
    await().atMost(Duration.ofSeconds(5)).until(() -> read(file).endsWith("\n"));
    assertThat(read(file))
        .isEqualTo(
            "{\"code\":200,\"path\":\"/service/1?x=1\",\"xff\":null,\"line\":\"GET HTTP/1.1\"}\n");
  }

  @Test
  void unsupportedLoggersFiltersAndFieldsAreRefusedByPath() {
    AccessLog grpc =
        AccessLog.newBuilder()
            .setName("x")
            .setTypedConfig(Any.pack(Router.getDefaultInstance()))
            .build();
    AccessLog healthFilter =
        fileLog(dir.resolve("a.log"), null).toBuilder()
            .setFilter(
                AccessLogFilter.newBuilder()
                    .setTraceableFilter(
                        io.envoyproxy.envoy.config.accesslog.v3.TraceableFilter
                            .getDefaultInstance()))
            .build();
    AccessLog badFormat =
        fileLog(
            dir.resolve("b.log"),
            SubstitutionFormatString.newBuilder()
                .setTextFormat("%WHAT%")
                .setContentType("text/x")
                .build());
    compile(grpc, healthFilter, badFormat);
    assertThat(problems.list())
        .extracting(Object::toString)
        .containsExactly(
            "access_log[0].typed_config: access logger"
                + " type.googleapis.com/envoy.extensions.filters.http.router.v3.Router is not"
                + " supported",
            "access_log[1].filter.traceable_filter: field is not supported by weft",
            "access_log[1].filter: access log filter TRACEABLE_FILTER is not supported",
            "access_log[2].typed_config.log_format.content_type: field is not supported by weft",
            "access_log[2].typed_config.log_format.text_format: access log command %WHAT% is not"
                + " supported");
  }

  @Test
  void reopenFilesStartsANewFileAfterRotation() throws Exception {
    Path file = dir.resolve("rotated.log");
    Path rotated = dir.resolve("rotated.log.1");
    AccessLogger logger =
        compile(
            fileLog(
                file,
                SubstitutionFormatString.newBuilder().setTextFormat("%RESPONSE_CODE%\n").build()));
    FakeRecord r = new FakeRecord();
    logger.log(r);
    await().atMost(Duration.ofSeconds(5)).until(() -> read(file).equals("200\n"));
    Files.move(file, rotated);
    writer.reopenFiles();
    await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(file));
    r.code = 404;
    logger.log(r);
    await().atMost(Duration.ofSeconds(5)).until(() -> read(file).equals("404\n"));
    assertThat(read(rotated)).isEqualTo("200\n");
    assertThat(stats.counter("access_logs.reopen_failed").value()).isZero();
  }

  @Test
  void aFullQueueDropsAndCountsInsteadOfBlocking() throws Exception {
    StatsStore own = new StatsStore();
    AccessLogWriter held = new AccessLogWriter(own, 2, false);
    Path file = dir.resolve("drops.log");
    AccessLogger logger =
        AccessLogs.compile(
            List.of(
                fileLog(
                    file,
                    SubstitutionFormatString.newBuilder()
                        .setTextFormat("%RESPONSE_CODE%\n")
                        .build())),
            ConfigPath.of("access_log"),
            problems,
            held);
    for (int i = 0; i < 5; i++) {
      logger.log(new FakeRecord());
    }
    assertThat(own.counter("access_logs.logs_dropped").value()).isEqualTo(3);
    held.start();
    held.close();
    assertThat(read(file)).isEqualTo("200\n200\n");
    assertThat(own.counter("access_logs.logs_written").value()).isEqualTo(2);
  }
}
