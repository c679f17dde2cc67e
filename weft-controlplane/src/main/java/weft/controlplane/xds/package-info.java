/**
 * weft's xDS management server: ADS (and the per-type services), state-of-the-world and delta,
 * over gRPC; java-control-plane does the protocol, wrapped so nothing else imports it.
 *
 * <p>Files:
 *
 * <ul>
 *   <li>{@link weft.controlplane.xds.XdsServer}: the server; {@code publish(Map<nodeId,
 *       ProxySnapshot>)}, default snapshot for unknown nodes, per-type monotonic versions
 *   <li>{@link weft.controlplane.xds.ProxySnapshot}: one proxy's resources + content hash (the
 *       translator's output)
 *   <li>{@link weft.controlplane.xds.ProxyStatusRegistry}, {@link weft.controlplane.xds.ProxyStatus}:
 *       per-node connection, versions sent/ACKed, last NACK ({@code weft get proxies})
 *   <li>{@code StatusCallbacks}: java-control-plane stream callbacks to registry events (ACK/NACK by
 *       nonce)
 *   <li>{@code FirstNodeInterceptor}: fills in the node of requests that leave it out
 *       (set_node_on_first_message_only)
 * </ul>
 */
package weft.controlplane.xds;
