package weft.controlplane;

import java.util.Map;
import weft.api.ResourceSet;
import weft.controlplane.xds.ProxySnapshot;

/**
 * Turns the store's resources into one xDS snapshot per proxy node id ({@code ns/workload}). Must
 * be a pure function of its input: the control plane calls it on its own thread after each change
 * and publishes the result.
 */
@FunctionalInterface
public interface SnapshotTranslator {
  Map<String, ProxySnapshot> translate(ResourceSet resources);
}
