/**
 * The mesh's service registry: {@link weft.controlplane.registry.Registry} derives services and
 * their endpoints from Workload and Service resources (selected workloads of the service's
 * namespace, first address, target port resolved by number or workload port name, locality and
 * cluster) and resolves hosts as Istio does (short names in a namespace, dotted names as FQDNs).
 *
 * <p>Files: {@code Registry} (index, host resolution), {@code MeshService} (a service with its FQDN
 * and endpoints per port), {@code Endpoint} (workload, address, port, locality, SPIFFE ID).
 */
package weft.controlplane.registry;
