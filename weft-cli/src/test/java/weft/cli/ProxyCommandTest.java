package weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weft proxy}: startup errors list every problem by path and exit 1. */
class ProxyCommandTest {
  @Test
  void printsEveryProblemAndExits1OnAnInvalidBootstrap(@TempDir Path dir) throws Exception {
    Path cfg = dir.resolve("bad.yaml");
    Files.writeString(cfg, """
        dynamic_resources: {}
        static_resources:
          clusters:
          - name: c
            lb_policy: CLUSTER_PROVIDED
            load_assignment: {cluster_name: c}
        """);
    PrintStream old = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = Main.run("proxy", "-c", cfg.toString(), "--concurrency", "1");
    } finally {
      System.setErr(old);
    }
    String out = err.toString(StandardCharsets.UTF_8);
    assertThat(code).isEqualTo(1);
    assertThat(out).contains("dynamic_resources").contains("static_resources.clusters[0].lb_policy");
  }

  @Test
  void namesTheFileWhenATypedConfigIsUnknown(@TempDir Path dir) throws Exception {
    Path cfg = dir.resolve("unknown.yaml");
    Files.writeString(cfg, """
        static_resources:
          listeners:
          - address: {socket_address: {address: 127.0.0.1, port_value: 0}}
            filter_chains:
            - filters:
              - name: x
                typed_config: {"@type": type.googleapis.com/envoy.extensions.filters.network.redis_proxy.v3.RedisProxy}
        """);
    PrintStream old = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      assertThat(Main.run("proxy", "-c", cfg.toString())).isEqualTo(1);
    } finally {
      System.setErr(old);
    }
    assertThat(err.toString(StandardCharsets.UTF_8)).contains(cfg.toString()).contains("RedisProxy");
  }
}
