/**
 * Envoy's {@code envoy.filters.network.tcp_proxy}: {@link weft.proxy.tcp.TcpProxy} (compiled
 * config, shared), {@code TcpRelay} (one downstream connection's relay to its upstream),
 * {@link weft.proxy.tcp.TcpSession} (a finished connection, for access logs), {@code TcpProxyStats}
 * ({@code tcp.<stat_prefix>.*}) and {@code UpstreamSockets} (client socket class per event loop).
 */
package weft.proxy.tcp;
