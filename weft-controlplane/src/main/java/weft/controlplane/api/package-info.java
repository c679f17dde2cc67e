/**
 * The control plane's HTTP API ({@code /api/v1}, JSON), which {@code weft get|describe|apply|delete|token}
 * and proxies (certificates) use. Endpoints and shapes: {@code docs/controlplane.md}.
 *
 * <table>
 *   <caption>Files</caption>
 *   <tr><td>{@code ApiServer}</td><td>JDK HttpServer on its own threads; routing; JSON errors</td></tr>
 *   <tr><td>{@code ApiBackend}</td><td>what the API reads and drives (store, applied source, proxy
 *       statuses, tokens, certificate service)</td></tr>
 *   <tr><td>{@code Views}</td><td>the JSON shapes of workloads, services (with endpoints), policies,
 *       proxies</td></tr>
 *   <tr><td>{@code PolicyIndex}</td><td>which policies select which workloads, from the compiled
 *       policy engine, cached per store revision</td></tr>
 *   <tr><td>{@code FlowsEndpoint}, {@code FlowQuery}</td><td>{@code GET /api/v1/flows}: JSON lines,
 *       followers on virtual threads of their own; the query and its 400s</td></tr>
 * </table>
 */
package weft.controlplane.api;
