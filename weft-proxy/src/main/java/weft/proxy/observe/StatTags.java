package weft.proxy.observe;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Envoy's default tag extraction: turns {@code cluster.backend.upstream_rq_200} into the
 * tag-extracted name {@code cluster.upstream_rq} with tags {@code envoy.response_code=200} and
 * {@code envoy.cluster_name=backend}, as Prometheus exposition needs.
 *
 * <p>Follows the default extractors of Envoy's {@code source/common/config/well_known_names.cc}
 * (the common ones; Mongo, DynamoDB, Redis and Thrift are left out because weft has no such
 * filters). As in Envoy, every extractor runs against the full original name, in this order; each
 * match contributes its inner group as the tag value and removes its outer group from the name.
 * Tokenized Envoy patterns ({@code cluster.$.**}) are written here as the equivalent RE2.
 */
final class StatTags {
  /** One tag: Envoy's name ({@code envoy.cluster_name}) and its value. */
  record Tag(String name, String value) {}

  /** A stat name split into its tag-extracted name and its tags, in extraction order. */
  record Tagged(String name, List<Tag> tags) {}

  private record Extractor(String tag, Pattern pattern, String excludedValue) {}

  private static final String VALUE = "[^.]+";
  private static final String ADDRESS =
      "(?:(?:\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|\\[[a-fA-F_\\d]+\\])_\\d+)";
  private static final String LISTENER_OR_CLUSTER = "(?:listener|cluster)\\..*?";

  private static final List<Extractor> DEFAULTS =
      List.of(
          re("envoy.response_code", "_rq(_(\\d{3}))$"),
          re("envoy.response_code_class", "_rq_((\\d))xx$"),
          re("envoy.grpc_bridge_method", "^cluster\\.<V>\\.grpc\\.<V>\\.((<V>)\\.).+$"),
          re("envoy.http_user_agent", "^http\\.<V>\\.user_agent\\.((<V>)\\.).+$"),
          re("envoy.virtual_cluster", "^vhost\\.<V>\\.vcluster\\.((<V>)\\.).+$"),
          re("envoy.fault_downstream_cluster", "^http\\.<V>\\.fault\\.((<V>)\\.).+$"),
          re("envoy.ssl_cipher", "^listener\\..*?\\.ssl\\.ciphers(\\.([\\w-]+))$"),
          re("envoy.ssl_curve", "^" + LISTENER_OR_CLUSTER + "\\.ssl\\.curves(\\.([\\w-]+))$"),
          re("envoy.ssl_sigalg", "^" + LISTENER_OR_CLUSTER + "\\.ssl\\.sigalgs(\\.([\\w-]+))$"),
          re(
              "envoy.ssl_version",
              "^" + LISTENER_OR_CLUSTER + "\\.ssl\\.versions(\\.(TLSv\\d\\.\\d))$"),
          re("envoy.ssl_cipher_suite", "^cluster\\.<V>\\.ssl\\.ciphers(\\.([\\w-]+))$"),
          re("envoy.grpc_bridge_service", "^cluster\\.<V>\\.grpc\\.((<V>)\\.).+$"),
          re("envoy.tcp_prefix", "^tcp\\.((<V>)\\.).+$"),
          re("envoy.udp_prefix", "^udp\\.((<V>)\\.).+$"),
          re("envoy.clientssl_prefix", "^auth\\.clientssl\\.((<V>)\\.).+$"),
          re("envoy.ratelimit_prefix", "^ratelimit\\.((<V>)\\.).+$"),
          re("envoy.cluster_name", "^cluster\\.((<V>)\\.).+$"),
          re("envoy.http_conn_manager_prefix", "^listener\\..*?\\.http\\.((<V>)\\.)"),
          re("envoy.ext_authz_prefix", "^cluster\\.<V>\\.ext_authz\\.((<V>)\\.).+$"),
          re("envoy.ext_authz_prefix", "^http\\.<V>\\.ext_authz\\.((<V>)\\.).+$"),
          re("envoy.http_conn_manager_prefix", "^http\\.((<V>)\\.).+$"),
          re(
              "envoy.worker_id",
              "^(?:listener\\.(?:<A>|<V>)|server|listener_manager|thread_local_cluster_manager)"
                  + "\\.worker_((\\d+)\\.)"),
          new Extractor("envoy.listener_address", compile("^listener\\.((<A>|<V>)\\.)"), "admin"),
          re("envoy.virtual_host", "^vhost\\.((<V>)\\.).+$"),
          re("envoy.rds_route_config", "^http\\.<V>\\.rds\\.(([\\w\\-./]+)\\.)\\w+?$"),
          re("envoy.scoped_rds_config", "^http\\.<V>\\.scoped_rds\\.(([\\w\\-.]+)\\.)\\w+?$"),
          re("envoy.route", "^vhost\\.<V>\\.route\\.((<V>)\\.).+$"),
          re("envoy.local_http_ratelimit_prefix", "^((<V>)\\.)http_local_rate_limit\\..+$"),
          re("envoy.local_network_ratelimit_prefix", "^local_rate_limit\\.((<V>)\\.).+$"),
          re("envoy.connection_limit_prefix", "^connection_limit\\.((<V>)\\.).+$"),
          re(
              "envoy.rbac_policy_name",
              "^http\\.<V>\\.rbac\\.(?:<V>\\.)?policy\\.((<V>)\\.)"
                  + "(?:allowed|shadow_allowed|denied|shadow_denied)$"),
          re("envoy.rbac_prefix", "^((<V>)\\.)rbac\\..+$"),
          new Extractor(
              "envoy.rbac_http_prefix", compile("^http\\.<V>\\.rbac\\.((<V>)\\.).*?"), "policy"),
          re("envoy.grpc_prefix", "^grpc\\.((<V>)\\.).+$"),
          re(
              "envoy.tls_certificate",
              "^" + LISTENER_OR_CLUSTER + "\\.ssl\\.certificate\\.((<V>)\\.).*$"),
          re("envoy.xds_resource_name", "^sds\\.((<V>)\\.).+"));

  private StatTags() {}

  private static Extractor re(String tag, String regex) {
    return new Extractor(tag, compile(regex), null);
  }

  /**
   * Expands Envoy's placeholders: {@code <V>} is one dot-free name segment, {@code <A>} a listener
   * address.
   */
  private static Pattern compile(String regex) {
    return Pattern.compile(regex.replace("<A>", ADDRESS).replace("<V>", VALUE));
  }

  /** Splits a stat name with Envoy's default extractors. */
  static Tagged extract(String name) {
    List<Tag> tags = new ArrayList<>(2);
    BitSet removed = new BitSet(name.length());
    for (Extractor e : DEFAULTS) {
      Matcher m = e.pattern.matcher(name);
      if (!m.find() || m.groupCount() < 2 || m.group(2) == null) {
        continue;
      }
      String value = m.group(2);
      if (value.equals(e.excludedValue) || alreadyTagged(tags, e.tag)) {
        continue;
      }
      tags.add(new Tag(e.tag, value));
      removed.set(m.start(1), m.end(1));
    }
    if (removed.isEmpty()) {
      return new Tagged(name, List.copyOf(tags));
    }
    StringBuilder sb = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      if (!removed.get(i)) {
        sb.append(name.charAt(i));
      }
    }
    return new Tagged(sb.toString(), List.copyOf(tags));
  }

  private static boolean alreadyTagged(List<Tag> tags, String tag) {
    for (Tag t : tags) {
      if (t.name.equals(tag)) {
        return true;
      }
    }
    return false;
  }
}
