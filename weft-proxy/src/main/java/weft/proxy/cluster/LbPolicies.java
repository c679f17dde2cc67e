package weft.proxy.cluster;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.Cluster.CommonLbConfig;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;

/** Translates {@code lb_policy}, its {@code *_lb_config} and {@code common_lb_config}. */
final class LbPolicies {
  static final long DEFAULT_MIN_RING = 1024;
  static final long DEFAULT_MAX_RING = 8L * 1024 * 1024;
  static final int DEFAULT_MAGLEV_TABLE = 65537;

  private LbPolicies() {}

  /** The balancer and the fields of {@link HostSnapshot.Shape} that come from the cluster. */
  record Compiled(LbPolicy policy, double panicThresholdPercent, boolean localityWeighted) {}

  static Compiled compile(Cluster c, ConfigPath path, ConfigProblems problems) {
    if (c.hasLoadBalancingPolicy()) {
      // the typed form wins; Envoy ignores a legacy *_lb_config next to it, weft refuses it
      if (c.getLbConfigCase() != Cluster.LbConfigCase.LBCONFIG_NOT_SET) {
        problems.add(
            path.field(c.getLbConfigCase().name().toLowerCase()),
            "cannot be combined with load_balancing_policy");
      }
      TypedLbPolicies.Result typed =
          TypedLbPolicies.compile(c.getLoadBalancingPolicy(), path.field("load_balancing_policy"), problems);
      Compiled common = common(c, typed.policy(), path, problems);
      return new Compiled(
          typed.policy(), common.panicThresholdPercent(), typed.localityWeighted() || common.localityWeighted());
    }
    LbPolicy policy =
        switch (c.getLbPolicy()) {
          case ROUND_ROBIN -> new LbPolicy.RoundRobin();
          case LEAST_REQUEST -> leastRequest(c, path, problems);
          case RANDOM -> new LbPolicy.Random();
          case RING_HASH -> ringHash(c, path, problems);
          case MAGLEV -> maglev(c, path, problems);
          default -> {
            problems.unsupported(path.field("lb_policy"), c.getLbPolicy());
            yield new LbPolicy.RoundRobin();
          }
        };
    switch (c.getLbConfigCase()) {
      case LBCONFIG_NOT_SET -> {}
      case ROUND_ROBIN_LB_CONFIG ->
          SupportedFields.check(c.getRoundRobinLbConfig(), path.field("round_robin_lb_config"), problems);
      case LEAST_REQUEST_LB_CONFIG, RING_HASH_LB_CONFIG, MAGLEV_LB_CONFIG -> {
        // read by the policy above; a config for another policy is a mistake Envoy also rejects
        boolean matches =
            switch (c.getLbConfigCase()) {
              case LEAST_REQUEST_LB_CONFIG -> policy instanceof LbPolicy.LeastRequest;
              case RING_HASH_LB_CONFIG -> policy instanceof LbPolicy.RingHash;
              default -> policy instanceof LbPolicy.Maglev;
            };
        if (!matches) {
          problems.add(
              path.field(c.getLbConfigCase().name().toLowerCase()),
              "does not match lb_policy " + c.getLbPolicy());
        }
      }
      default ->
          problems.unsupported(
              path.field(c.getLbConfigCase().name().toLowerCase()), c.getLbConfigCase().name().toLowerCase());
    }
    return common(c, policy, path, problems);
  }

  /** {@code common_lb_config}: the panic threshold and legacy locality weighting. */
  private static Compiled common(Cluster c, LbPolicy policy, ConfigPath path, ConfigProblems problems) {
    double panic = 50.0;
    boolean localityWeighted = false;
    if (c.hasCommonLbConfig()) {
      CommonLbConfig common = c.getCommonLbConfig();
      ConfigPath cp = path.field("common_lb_config");
      SupportedFields.check(
          common, cp, problems, "healthy_panic_threshold", "locality_weighted_lb_config");
      if (common.hasHealthyPanicThreshold()) {
        panic = common.getHealthyPanicThreshold().getValue();
        if (panic < 0 || panic > 100) {
          problems.add(cp.field("healthy_panic_threshold"), panic + " (expected: 0 to 100)");
        }
      }
      if (common.hasLocalityWeightedLbConfig()) {
        localityWeighted = true;
        if (policy.usesHash()) {
          problems.add(
              cp.field("locality_weighted_lb_config"),
              "locality weighting with " + (policy instanceof LbPolicy.Maglev ? "MAGLEV" : "RING_HASH")
                  + " is not supported");
        }
      }
    }
    return new Compiled(policy, panic, localityWeighted);
  }

  private static LbPolicy leastRequest(Cluster c, ConfigPath path, ConfigProblems problems) {
    int choices = 2;
    double bias = 1.0;
    if (c.hasLeastRequestLbConfig()) {
      var lr = c.getLeastRequestLbConfig();
      ConfigPath p = path.field("least_request_lb_config");
      SupportedFields.check(lr, p, problems, "choice_count", "active_request_bias");
      if (lr.hasChoiceCount()) {
        choices = lr.getChoiceCount().getValue();
        if (choices < 2) {
          problems.add(p.field("choice_count"), choices + " (expected: >= 2)");
          choices = 2;
        }
      }
      if (lr.hasActiveRequestBias()) {
        SupportedFields.check(
            lr.getActiveRequestBias(), p.field("active_request_bias"), problems, "default_value");
        bias = lr.getActiveRequestBias().getDefaultValue();
        if (bias < 0) {
          problems.add(p.field("active_request_bias").field("default_value"), bias + " (expected: >= 0)");
          bias = 1.0;
        }
      }
    }
    return new LbPolicy.LeastRequest(choices, bias);
  }

  private static LbPolicy ringHash(Cluster c, ConfigPath path, ConfigProblems problems) {
    long min = DEFAULT_MIN_RING;
    long max = DEFAULT_MAX_RING;
    if (c.hasRingHashLbConfig()) {
      var rh = c.getRingHashLbConfig();
      ConfigPath p = path.field("ring_hash_lb_config");
      SupportedFields.check(
          rh, p, problems, "minimum_ring_size", "maximum_ring_size", "hash_function");
      if (rh.getHashFunction() != Cluster.RingHashLbConfig.HashFunction.XX_HASH) {
        problems.unsupported(p.field("hash_function"), rh.getHashFunction());
      }
      if (rh.hasMinimumRingSize()) {
        min = rh.getMinimumRingSize().getValue();
      }
      if (rh.hasMaximumRingSize()) {
        max = rh.getMaximumRingSize().getValue();
      }
      if (max > DEFAULT_MAX_RING) {
        problems.add(p.field("maximum_ring_size"), max + " (expected: <= 8388608)");
        max = DEFAULT_MAX_RING;
      }
      if (min < 1 || min > max) {
        problems.add(p.field("minimum_ring_size"), min + " (expected: 1 to maximum_ring_size " + max + ")");
        min = Math.min(DEFAULT_MIN_RING, max);
      }
    }
    return new LbPolicy.RingHash(min, max);
  }

  private static LbPolicy maglev(Cluster c, ConfigPath path, ConfigProblems problems) {
    int size = DEFAULT_MAGLEV_TABLE;
    if (c.hasMaglevLbConfig()) {
      ConfigPath p = path.field("maglev_lb_config");
      SupportedFields.check(c.getMaglevLbConfig(), p, problems, "table_size");
      if (c.getMaglevLbConfig().hasTableSize()) {
        long t = c.getMaglevLbConfig().getTableSize().getValue();
        if (t > 5_000_011 || !java.math.BigInteger.valueOf(t).isProbablePrime(30)) {
          problems.add(p.field("table_size"), t + " (expected: a prime <= 5000011)");
        } else {
          size = (int) t;
        }
      }
    }
    return new LbPolicy.Maglev(size);
  }
}
