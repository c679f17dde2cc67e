package weft.proxy.admin;

import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.List;
import weft.proxy.observe.StatsStore;

/**
 * What the admin server shows, supplied by the proxy. Every method is called on the admin server's
 * event loop for each request, so implementations read published snapshots and never block.
 */
public interface AdminSources {
  /**
   * Whether the server finished initialising (Envoy's init manager is {@code Initialized}): {@code
   * /ready} says {@code LIVE} only then, and not while health checks are failed.
   */
  boolean initialized();

  StatsStore stats();

  /** Envoy's {@code /clusters} text ({@code cluster::host:port::health_flags::healthy} lines). */
  String clustersText();

  /** {@code /clusters?format=json} (Envoy's {@code admin.v3.Clusters}), or null if not offered. */
  default String clustersJson() {
    return null;
  }

  /**
   * The config in force, in Envoy's dump order, e.g. from {@link ConfigDumps#ofBootstrap}: {@code
   * BootstrapConfigDump}, {@code ClustersConfigDump}, {@code ListenersConfigDump}, ...
   */
  List<Message> configDump();

  /** Resolves the {@code Any} types inside {@link #configDump()}; see {@link ConfigDumps}. */
  default JsonFormat.TypeRegistry typeRegistry() {
    return ConfigDumps.defaultTypeRegistry();
  }

  /** The node this proxy runs as, for {@code /server_info}. */
  default Node node() {
    return Node.getDefaultInstance();
  }

  default String version() {
    return "weft";
  }

  /** Reopens the access log files ({@code POST /reopen_logs}), e.g. after log rotation. */
  default void reopenAccessLogs() {}

  /**
   * Asks the process to exit for {@code POST /quitquitquit}; returns false when this server does
   * not allow that (the endpoint then answers 403).
   */
  default boolean requestShutdown() {
    return false;
  }
}
