package weft.proxy.cluster;

/** Where a host runs: Envoy's {@code core.v3.Locality}. Empty strings when not configured. */
public record Locality(String region, String zone, String subZone) {
  public static final Locality NONE = new Locality("", "", "");
}
