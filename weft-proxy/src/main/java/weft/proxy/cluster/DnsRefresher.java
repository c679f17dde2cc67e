package weft.proxy.cluster;

import io.netty.channel.EventLoop;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import weft.proxy.observe.Counter;

/**
 * STRICT_DNS membership: every {@code dns_refresh_rate} each endpoint's name is resolved with
 * Netty's non-blocking resolver (which reads /etc/hosts first, so {@code localhost} works without a
 * name server), and every returned address becomes a host (arch_overview/upstream/service_discovery).
 * A host that stays in the answer keeps its identity, health and stats; a failed lookup keeps that
 * endpoint's previous hosts, as Envoy does. Runs on the cluster's control loop.
 */
final class DnsRefresher {
  private final UpstreamCluster cluster;
  private final EventLoop loop;
  private final ClusterConfig config;
  private final Counter attempt;
  private final Counter success;
  private final Counter failure;
  private final CompletableFuture<Void> firstResolution = new CompletableFuture<>();
  /** Hosts by (endpoint index, address); control loop only. */
  private final Map<String, Host> known = new HashMap<>();
  private DnsNameResolver resolver;
  private ScheduledFuture<?> timer;
  private boolean stopped;

  DnsRefresher(UpstreamCluster cluster) {
    this.cluster = cluster;
    this.loop = cluster.controlLoop();
    this.config = cluster.config();
    attempt = cluster.stats().counter("update_attempt");
    success = cluster.stats().counter("update_success");
    failure = cluster.stats().counter("update_failure");
  }

  /** Completes after the first round of lookups, successful or not (Envoy's cluster warming). */
  CompletableFuture<Void> firstResolution() {
    return firstResolution;
  }

  /** Control loop. */
  void start() {
    resolver =
        new DnsNameResolverBuilder(loop)
            .datagramChannelType(SocketTypes.datagram(loop))
            .resolvedAddressTypes(addressTypes(config.dnsLookupFamily()))
            // the refresh rate, not record TTLs, decides when to look again (respect_dns_ttl unset)
            .resolveCache(NoopDnsCache.INSTANCE)
            .queryTimeoutMillis(Math.max(1000, config.dnsRefreshRate().toMillis()))
            .build();
    refresh();
  }

  /** Control loop. */
  void stop() {
    stopped = true;
    if (timer != null) {
      timer.cancel(false);
    }
    if (resolver != null) {
      resolver.close();
    }
    firstResolution.complete(null);
  }

  private void refresh() {
    if (stopped) {
      return;
    }
    attempt.inc();
    List<Endpoints.Spec> specs = config.endpoints();
    List<Future<List<InetAddress>>> lookups = new ArrayList<>(specs.size());
    for (Endpoints.Spec s : specs) {
      byte[] literal = NetUtil.createByteArrayFromIpAddressString(s.address());
      if (literal != null) {
        lookups.add(loop.newSucceededFuture(List.of(NetUtil.createInetAddressFromIpAddressString(s.address()))));
      } else {
        lookups.add(resolver.resolveAll(s.address()));
      }
    }
    int[] remaining = {lookups.size()};
    if (lookups.isEmpty()) {
      apply(specs, lookups);
      return;
    }
    for (Future<List<InetAddress>> f : lookups) {
      f.addListener(
          done -> {
            if (--remaining[0] == 0) {
              apply(specs, lookups);
            }
          });
    }
  }

  private void apply(List<Endpoints.Spec> specs, List<Future<List<InetAddress>>> lookups) {
    if (stopped) {
      return;
    }
    boolean allOk = true;
    List<Host> next = new ArrayList<>();
    Map<String, Host> nextKnown = new HashMap<>();
    for (int i = 0; i < specs.size(); i++) {
      Future<List<InetAddress>> f = lookups.get(i);
      String prefix = i + "/";
      if (!f.isSuccess()) {
        allOk = false;
        // keep what this endpoint resolved to last time
        for (Host h : cluster.members()) {
          String key = keyOf(known, h);
          if (key != null && key.startsWith(prefix)) {
            next.add(h);
            nextKnown.put(key, h);
          }
        }
        continue;
      }
      for (InetAddress a : select(f.getNow(), config.dnsLookupFamily())) {
        String key = prefix + a.getHostAddress();
        if (nextKnown.containsKey(key)) {
          continue;
        }
        Host h = known.get(key);
        if (h == null) {
          h = cluster.newHost(specs.get(i), a);
        }
        next.add(h);
        nextKnown.put(key, h);
      }
    }
    (allOk ? success : failure).inc();
    known.clear();
    known.putAll(nextKnown);
    if (!sameHosts(next, cluster.members())) {
      cluster.setMembers(next);
    }
    firstResolution.complete(null);
    timer = loop.schedule(this::refresh, config.dnsRefreshRate().toMillis(), TimeUnit.MILLISECONDS);
  }

  private static String keyOf(Map<String, Host> known, Host h) {
    for (Map.Entry<String, Host> e : known.entrySet()) {
      if (e.getValue() == h) {
        return e.getKey();
      }
    }
    return null;
  }

  private static boolean sameHosts(List<Host> a, List<Host> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) != b.get(i)) {
        return false;
      }
    }
    return true;
  }

  /** Envoy's dns_lookup_family applied to an answer holding both families. */
  static List<InetAddress> select(List<InetAddress> answer, ClusterConfig.DnsLookupFamily family) {
    List<InetAddress> v4 = answer.stream().filter(a -> a instanceof Inet4Address).toList();
    List<InetAddress> v6 = answer.stream().filter(a -> a instanceof Inet6Address).toList();
    return switch (family) {
      case V4_ONLY -> v4;
      case V6_ONLY -> v6;
      case AUTO -> v6.isEmpty() ? v4 : v6;
      case V4_PREFERRED -> v4.isEmpty() ? v6 : v4;
      case ALL -> answer;
    };
  }

  private static ResolvedAddressTypes addressTypes(ClusterConfig.DnsLookupFamily family) {
    return switch (family) {
      case V4_ONLY -> ResolvedAddressTypes.IPV4_ONLY;
      case V6_ONLY -> ResolvedAddressTypes.IPV6_ONLY;
      case AUTO -> ResolvedAddressTypes.IPV6_PREFERRED;
      case V4_PREFERRED, ALL -> ResolvedAddressTypes.IPV4_PREFERRED;
    };
  }
}
