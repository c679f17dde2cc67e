package weft.proxy.http;

/** The immutable, shared config of one HTTP filter; makes a filter instance per stream. */
@FunctionalInterface
public interface HttpFilterFactory {
  HttpFilter create(FilterCallbacks callbacks);
}
