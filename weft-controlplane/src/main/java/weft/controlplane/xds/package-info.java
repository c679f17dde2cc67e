/**
 * weft's xDS management server: ADS (and the per-type services), state-of-the-world and delta,
 * over gRPC; java-control-plane does the protocol, wrapped so nothing else imports it.
 *
 * <p>Files:
 *
 * <ul>
 *   <li>{@link weft.controlplane.xds.XdsServer}: the server (mTLS with node authorization, and a
 *       plaintext port only when asked); {@code publish(Map<nodeId, ProxySnapshot>)}, default
 *       snapshot for unknown nodes, per-type monotonic versions
 *   <li>{@link weft.controlplane.xds.ProxySnapshot}: one proxy's resources + content hash (the
 *       translator's output)
 *   <li>{@link weft.controlplane.xds.ProxyStatusRegistry}, {@link weft.controlplane.xds.ProxyStatus}:
 *       per-node connection, versions sent/ACKed, last NACK ({@code weft get proxies})
 *   <li>{@code StatusCallbacks}: java-control-plane stream callbacks to registry events (ACK/NACK by
 *       nonce)
 *   <li>{@code RequestDefaultsInterceptor}: fills in the node and type URL of requests that leave
 *       them implicit
 *   <li>{@link weft.controlplane.xds.NodeAuthorizer}: on the mTLS port, a stream may speak only as
 *       the node its client certificate is for (xDS requests and access log identifiers);
 *       refusals are PERMISSION_DENIED and counted in the registry
 *   <li>{@code NackHoldInterceptor}: a SotW NACK waits for new config instead of being answered
 *       with the rejected version again
 * </ul>
 */
package weft.controlplane.xds;
