/**
 * The translator: {@link weft.controlplane.translate.Translator#translate} is a pure function
 * from a {@code ResourceSet} to one {@code ProxySnapshot} per workload proxy (node id {@code
 * ns/name}); {@code translateAll} adds the proxyless gRPC default snapshot and the problems (each
 * names a resource and field). Shapes follow docs/controlplane.md and Istio's naming.
 *
 * <p>Files:
 *
 * <ul>
 *   <li>{@code Translator}: orchestration, PeerAuthentication mode per port (from weft-policy's
 *       engine), RBAC export (deny-all while the policy set has problems), ROOTCA secret
 *   <li>{@code Inbound}: listener per workload port ({@code inbound_<ip>_<port>}; STRICT /
 *       PERMISSIVE with tls_inspector / DISABLE), network + HTTP RBAC, HCM or tcp_proxy, STATIC
 *       cluster {@code inbound|<port>||} to {@code app.address:port+portOffset}
 *   <li>{@code Outbound}: listener {@code outbound_<ip>_<outboundPort>}, HCM with RDS {@code
 *       outbound}; VirtualService faults as HCM fault filters (first route only, see its doc)
 *   <li>{@code Traffic}: VirtualService/DestinationRule binding, per-client outbound parts
 *       (memoised per client namespace and locality), virtual host domains, auto-mTLS rule
 *   <li>{@code Routes}: Istio HTTPRoute to Envoy routes (match, weights, rewrite, timeout, retries,
 *       mirror, headers, hash policy)
 *   <li>{@code Clusters}: {@code outbound|<port>|<subset>|<fqdn>} EDS clusters with lb, circuit
 *       breakers, outlier detection, ISTIO_MUTUAL SAN checks; ClusterLoadAssignments with
 *       locality failover priorities
 *   <li>{@code Proxyless}: API listeners, RDS, plaintext EDS clusters for grpc-xds clients
 *   <li>{@code Envoy}, {@code Protocols}: small builders; which ports speak HTTP
 * </ul>
 */
package weft.controlplane.translate;
