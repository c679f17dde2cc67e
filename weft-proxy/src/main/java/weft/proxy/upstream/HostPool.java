package weft.proxy.upstream;

/** The connections of one event loop to one upstream host. Event-loop confined. */
public sealed interface HostPool permits Http1Pool, Http2Pool {
  /**
   * Starts an exchange: {@code listener.onReady} follows (now or after connecting) or
   * {@code onFailure}. The returned handle cancels a stream that is not ready yet.
   */
  Cancellable newStream(UpstreamListener listener);

  /** Closes every connection (config change or shutdown). */
  void close();

  /** Cancels a pending stream; a no-op once the stream is ready. */
  interface Cancellable {
    void cancel();
  }
}
