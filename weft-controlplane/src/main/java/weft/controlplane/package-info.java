/**
 * weft's control plane: turns resources into per-proxy xDS, issues SPIFFE identities, serves the
 * management API. Design: {@code docs/controlplane.md}.
 */
package weft.controlplane;
