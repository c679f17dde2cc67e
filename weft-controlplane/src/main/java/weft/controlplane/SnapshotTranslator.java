package weft.controlplane;

import weft.api.ResourceSet;
import weft.controlplane.translate.Translator;

/**
 * Turns the store's resources into one xDS snapshot per proxy node id ({@code ns/workload}), the
 * default snapshot for other node ids (proxyless gRPC), and the problems found. Must be a pure
 * function of its input: the control plane calls it on its own thread after each change and
 * publishes the result. The production one is {@link Translator#translateAll}.
 */
@FunctionalInterface
public interface SnapshotTranslator {
  Translator.Translation translate(ResourceSet resources);
}
