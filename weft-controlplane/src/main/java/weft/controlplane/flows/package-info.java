/**
 * Flow visibility (issue 5, Hubble-like): sidecars stream Envoy access log entries over gRPC to the
 * control plane, which turns them into {@link weft.controlplane.flows.FlowRecord}s, keeps them in a
 * bounded ring and serves them to {@code GET /api/v1/flows} and {@code weft flows}. Design and
 * sizes: {@code docs/controlplane.md}, "Flows".
 *
 * <table>
 *   <caption>Files</caption>
 *   <tr><td>{@code AccessLogCollector}</td><td>Envoy's AccessLogService (gRPC, on the xDS port):
 *       identifier on a stream's first message, HTTP and TCP entries</td></tr>
 *   <tr><td>{@code FlowEnricher}</td><td>entry to record: ends from node id, peer SPIFFE ID,
 *       addresses and upstream cluster; verdict from details and response flags</td></tr>
 *   <tr><td>{@code DecidingRule}</td><td>the rule behind a verdict: RBAC policy names mapped back
 *       to weft rules, else the policy engine's evaluation</td></tr>
 *   <tr><td>{@code MeshView}</td><td>per store revision: workloads by node, address and service
 *       account; services; the compiled policy engine and RBAC export names</td></tr>
 *   <tr><td>{@code ResponseFlags}</td><td>which Envoy response flags make a flow an error</td></tr>
 *   <tr><td>{@code FlowStore}, {@code FlowFilter}</td><td>the ring buffer, queries and followers
 *       with bounded queues (drops counted, never blocking ingestion)</td></tr>
 * </table>
 */
package weft.controlplane.flows;
