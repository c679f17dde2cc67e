/**
 * Envoy's admin listener: {@code AdminServer} (Netty HTTP/1.1) over {@code AdminSources} supplied
 * by the proxy, {@code AdminConfig} (the bootstrap's {@code admin} block) and {@code ConfigDumps}
 * ({@code /config_dump} documents).
 */
package weft.proxy.admin;
