package weft.proxy.http;

import java.time.Duration;
import java.util.List;

/**
 * A compiled {@code HttpConnectionManager}: immutable, shared by every connection of its filter
 * chain. Durations of zero mean "disabled", as in Envoy.
 */
public record HcmConfig(
    String statPrefix,
    HcmStats stats,
    CodecType codecType,
    List<HttpFilterFactory> filters,
    String serverName,
    boolean generateRequestId,
    boolean useRemoteAddress,
    int xffNumTrustedHops,
    boolean skipXffAppend,
    Duration streamIdleTimeout,
    Duration requestTimeout,
    Duration requestHeadersTimeout,
    Duration idleTimeout,
    int maxHeadersCount,
    int maxRequestHeadersKb,
    boolean normalizePath,
    boolean mergeSlashes,
    boolean websocketUpgrade,
    int maxConcurrentStreams,
    int initialStreamWindowSize,
    int initialConnectionWindowSize,
    StreamObserver streamObserver,
    weft.proxy.http1.Http1DecoderConfig http1) {

  public HcmConfig {
    filters = List.copyOf(filters);
  }

  /** Envoy's {@code codec_type}. */
  public enum CodecType {
    AUTO,
    HTTP1,
    HTTP2
  }

  /** Sees every completed stream: the access log sink. */
  @FunctionalInterface
  public interface StreamObserver {
    StreamObserver NONE = info -> {};

    void onComplete(StreamInfo info);
  }
}
