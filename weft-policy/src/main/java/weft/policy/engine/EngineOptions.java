package weft.policy.engine;

/** Trust domain of SPIFFE IDs and Istio's root namespace. */
public record EngineOptions(String trustDomain, String rootNamespace) {
  public static final EngineOptions DEFAULTS = new EngineOptions("cluster.local", "istio-system");
}
