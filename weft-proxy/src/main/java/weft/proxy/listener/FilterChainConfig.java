package weft.proxy.listener;

import java.util.List;

/** A compiled filter chain: optional transport socket (null = plaintext) and network filters. */
public record FilterChainConfig(String name, DownstreamTransport transport,
    List<NetworkFilterFactory> filters) {
  public FilterChainConfig {
    filters = List.copyOf(filters);
  }
}
