package weft.proxy.route;

import io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent;
import io.envoyproxy.envoy.config.route.v3.RouteAction.RequestMirrorPolicy;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import java.util.Locale;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;

/**
 * One {@code request_mirror_policies} entry: a fire-and-forget copy of the request to another
 * cluster. The router sends the shadow with {@link #shadowAuthority} unless the suffix is
 * disabled, and ignores the response.
 *
 * <p>{@code runtime_fraction} uses its {@code default_value}: weft has no runtime layer, so the
 * runtime key never overrides it (as in an Envoy without that key set).
 */
public final class MirrorPolicy {
  private final String cluster; // null when clusterHeader is used
  private final String clusterHeader;
  private final long numerator;
  private final long denominator;
  private final boolean appendShadowSuffix;

  private MirrorPolicy(String cluster, String clusterHeader, long numerator, long denominator,
      boolean appendShadowSuffix) {
    this.cluster = cluster;
    this.clusterHeader = clusterHeader;
    this.numerator = numerator;
    this.denominator = denominator;
    this.appendShadowSuffix = appendShadowSuffix;
  }

  static MirrorPolicy compile(RequestMirrorPolicy m, ConfigPath path, ConfigProblems problems) {
    SupportedFields.check(m, path, problems,
        "cluster", "cluster_header", "runtime_fraction", "disable_shadow_host_suffix_append");
    boolean hasCluster = !m.getCluster().isEmpty();
    boolean hasHeader = !m.getClusterHeader().isEmpty();
    if (hasCluster == hasHeader) {
      problems.add(path, "exactly one of cluster and cluster_header is required");
      return null;
    }
    long num = 100;
    long den = 100;
    if (m.hasRuntimeFraction()) {
      RuntimeFractionalPercent rf = m.getRuntimeFraction();
      ConfigPath rp = path.field("runtime_fraction");
      SupportedFields.check(rf, rp, problems, "default_value", "runtime_key");
      FractionalPercent fp = rf.getDefaultValue();
      SupportedFields.check(fp, rp.field("default_value"), problems, "numerator", "denominator");
      num = fp.getNumerator();
      den = switch (fp.getDenominator()) {
        case HUNDRED -> 100;
        case TEN_THOUSAND -> 10_000;
        case MILLION -> 1_000_000;
        case UNRECOGNIZED -> {
          problems.unsupported(rp.field("default_value").field("denominator"),
              "denominator " + fp.getDenominatorValue());
          yield 100;
        }
      };
    }
    return new MirrorPolicy(hasCluster ? m.getCluster() : null,
        hasHeader ? m.getClusterHeader().toLowerCase(Locale.ROOT) : null,
        num, den, !m.getDisableShadowHostSuffixAppend());
  }

  /** The cluster to mirror this request to, or null when {@code cluster_header} is absent. */
  public String cluster(RouteRequest req) {
    if (cluster != null) {
      return cluster;
    }
    // Envoy reads the first value of the header
    String v = req.headers() == null ? null : req.headers().get(clusterHeader);
    return v == null || v.isEmpty() ? null : v;
  }

  /** The statically configured cluster, or null for {@code cluster_header}. */
  public String staticCluster() {
    return cluster;
  }

  /** Whether this request is sampled, given a uniformly random value (Envoy's featureEnabled). */
  public boolean sampled(long random) {
    return Long.remainderUnsigned(random, denominator) < numerator;
  }

  /** Whether the router should send {@link #shadowAuthority} as the mirror's host. */
  public boolean appendShadowSuffix() {
    return appendShadowSuffix;
  }

  /** {@code host[:port]} -> {@code host-shadow[:port]}, as Envoy's shadow writer does. */
  public static String shadowAuthority(String authority) {
    if (authority == null || authority.isEmpty()) {
      return authority;
    }
    int colon = authority.lastIndexOf(':');
    int bracket = authority.lastIndexOf(']');
    if (colon < 0 || colon < bracket) {
      return authority + "-shadow";
    }
    return authority.substring(0, colon) + "-shadow" + authority.substring(colon);
  }

  @Override
  public String toString() {
    return "mirror " + (cluster != null ? cluster : "header:" + clusterHeader) + " " + numerator + "/" + denominator;
  }
}
