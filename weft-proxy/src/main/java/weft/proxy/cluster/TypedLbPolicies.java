package weft.proxy.cluster;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.LoadBalancingPolicy;
import io.envoyproxy.envoy.extensions.load_balancing_policies.common.v3.LocalityLbConfig;
import io.envoyproxy.envoy.extensions.load_balancing_policies.least_request.v3.LeastRequest;
import io.envoyproxy.envoy.extensions.load_balancing_policies.maglev.v3.Maglev;
import io.envoyproxy.envoy.extensions.load_balancing_policies.random.v3.Random;
import io.envoyproxy.envoy.extensions.load_balancing_policies.ring_hash.v3.RingHash;
import io.envoyproxy.envoy.extensions.load_balancing_policies.round_robin.v3.RoundRobin;
import java.util.ArrayList;
import java.util.List;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;

/**
 * The typed form of a cluster's balancer, {@code load_balancing_policy.policies}: as Envoy, the
 * first policy whose extension is supported is used and the rest are fallbacks for other clients.
 * Supported: {@code envoy.extensions.load_balancing_policies.{round_robin,least_request,random,
 * ring_hash,maglev}.v3}.
 */
final class TypedLbPolicies {
  private static final String PREFIX = "type.googleapis.com/envoy.extensions.load_balancing_policies.";

  private TypedLbPolicies() {}

  /** The balancer and whether it asks for locality-weighted balancing. */
  record Result(LbPolicy policy, boolean localityWeighted) {}

  static Result compile(LoadBalancingPolicy lbp, ConfigPath path, ConfigProblems problems) {
    SupportedFields.check(lbp, path, problems, "policies");
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < lbp.getPoliciesCount(); i++) {
      ConfigPath p = path.field("policies").index(i);
      LoadBalancingPolicy.Policy policy = lbp.getPolicies(i);
      SupportedFields.check(policy, p, problems, "typed_extension_config");
      Any any = policy.getTypedExtensionConfig().getTypedConfig();
      ConfigPath tp = p.field("typed_extension_config").field("typed_config");
      seen.add(any.getTypeUrl());
      Result r = switch (any.getTypeUrl()) {
        case PREFIX + "round_robin.v3.RoundRobin" -> {
          RoundRobin rr = unpack(any, RoundRobin.class, tp, problems);
          SupportedFields.check(rr, tp, problems, "locality_lb_config");
          yield new Result(new LbPolicy.RoundRobin(), locality(rr.getLocalityLbConfig(), rr.hasLocalityLbConfig(), tp, problems));
        }
        case PREFIX + "least_request.v3.LeastRequest" -> {
          LeastRequest lr = unpack(any, LeastRequest.class, tp, problems);
          SupportedFields.check(lr, tp, problems, "choice_count", "active_request_bias", "locality_lb_config");
          int choices = lr.hasChoiceCount() ? lr.getChoiceCount().getValue() : 2;
          if (choices < 2) {
            problems.add(tp.field("choice_count"), choices + " (expected: >= 2)");
            choices = 2;
          }
          double bias = 1.0;
          if (lr.hasActiveRequestBias()) {
            SupportedFields.check(lr.getActiveRequestBias(), tp.field("active_request_bias"), problems, "default_value");
            bias = Math.max(0, lr.getActiveRequestBias().getDefaultValue());
          }
          yield new Result(
              new LbPolicy.LeastRequest(choices, bias),
              locality(lr.getLocalityLbConfig(), lr.hasLocalityLbConfig(), tp, problems));
        }
        case PREFIX + "random.v3.Random" -> {
          Random r2 = unpack(any, Random.class, tp, problems);
          SupportedFields.check(r2, tp, problems, "locality_lb_config");
          yield new Result(new LbPolicy.Random(), locality(r2.getLocalityLbConfig(), r2.hasLocalityLbConfig(), tp, problems));
        }
        case PREFIX + "ring_hash.v3.RingHash" -> {
          RingHash rh = unpack(any, RingHash.class, tp, problems);
          SupportedFields.check(rh, tp, problems, "hash_function", "minimum_ring_size", "maximum_ring_size");
          if (rh.getHashFunction() == RingHash.HashFunction.MURMUR_HASH_2) {
            problems.unsupported(tp.field("hash_function"), rh.getHashFunction());
          }
          long min = rh.hasMinimumRingSize() ? rh.getMinimumRingSize().getValue() : LbPolicies.DEFAULT_MIN_RING;
          long max = rh.hasMaximumRingSize() ? rh.getMaximumRingSize().getValue() : LbPolicies.DEFAULT_MAX_RING;
          if (max > LbPolicies.DEFAULT_MAX_RING || min < 1 || min > max) {
            problems.add(tp, "ring sizes " + min + ".." + max + " (expected: 1 <= minimum <= maximum <= 8388608)");
            min = LbPolicies.DEFAULT_MIN_RING;
            max = LbPolicies.DEFAULT_MAX_RING;
          }
          yield new Result(new LbPolicy.RingHash(min, max), false);
        }
        case PREFIX + "maglev.v3.Maglev" -> {
          Maglev m = unpack(any, Maglev.class, tp, problems);
          SupportedFields.check(m, tp, problems, "table_size");
          int size = LbPolicies.DEFAULT_MAGLEV_TABLE;
          if (m.hasTableSize()) {
            long t = m.getTableSize().getValue();
            if (t > 5_000_011 || !java.math.BigInteger.valueOf(t).isProbablePrime(30)) {
              problems.add(tp.field("table_size"), t + " (expected: a prime <= 5000011)");
            } else {
              size = (int) t;
            }
          }
          yield new Result(new LbPolicy.Maglev(size), false);
        }
        default -> null; // not ours: Envoy moves on to the next policy in the list
      };
      if (r != null) {
        return r;
      }
    }
    problems.add(
        path.field("policies"),
        "none of " + seen + " is supported (expected one of round_robin, least_request, random,"
            + " ring_hash, maglev)");
    return new Result(new LbPolicy.RoundRobin(), false);
  }

  private static boolean locality(LocalityLbConfig l, boolean has, ConfigPath p, ConfigProblems problems) {
    if (!has) {
      return false;
    }
    ConfigPath lp = p.field("locality_lb_config");
    SupportedFields.check(l, lp, problems, "locality_weighted_lb_config");
    return l.hasLocalityWeightedLbConfig();
  }

  private static <T extends Message> T unpack(Any any, Class<T> type, ConfigPath p, ConfigProblems problems) {
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      problems.add(p, "cannot decode " + any.getTypeUrl() + ": " + e.getMessage());
      return com.google.protobuf.Internal.getDefaultInstance(type);
    }
  }
}
