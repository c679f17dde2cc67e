package weft.proxy.observe;

/**
 * The access logs of one listener or connection manager. {@link #log} is called once per finished
 * request (or connection) on its event loop; it formats the line there and hands it to the {@link
 * AccessLogWriter} without blocking.
 */
public interface AccessLogger {
  AccessLogger NONE = r -> {};

  void log(AccessLogRecord record);
}
