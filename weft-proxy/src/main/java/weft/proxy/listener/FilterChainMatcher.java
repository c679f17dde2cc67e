package weft.proxy.listener;

import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.netty.channel.Channel;
import io.netty.util.collection.IntObjectHashMap;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;

/**
 * Selects a listener's filter chain for a new connection with Envoy's {@code FilterChainMatch}
 * rules (listener_components.proto): the criteria are applied in order — destination port,
 * destination IP, server name, transport protocol, application protocols, direct source IP,
 * source type, source IP, source port — and at each step only the chains that match the
 * connection most specifically go on (an exact server name beats {@code *.example.com}, which
 * beats {@code *.com}, which beats no server_names; the longest CIDR wins; a chain without the
 * criterion is the least specific). There is no backtracking: if the most specific chains of a
 * step all fail a later step, nothing matches and the default chain (if any) is used. Two chains
 * with the same matching rules are a config error, so at most one chain is left.
 *
 * <p>Returns the chain's index; the caller owns the chains' filters and transport sockets.
 * Immutable; {@link #select} is called once per connection, from any event loop.
 */
public final class FilterChainMatcher {
  public static final int NO_MATCH = -1;
  /** {@link #select}'s answer when only the listener's {@code default_filter_chain} applies. */
  public static final int DEFAULT = -2;

  /** What a connection offers to the match; {@code serverName} "" when there is no SNI. */
  public record ConnectionInfo(int destinationPort, InetAddress destinationAddress, InetAddress sourceAddress,
      int sourcePort, String serverName, String transportProtocol, List<String> applicationProtocols) {
    public ConnectionInfo {
      applicationProtocols = List.copyOf(applicationProtocols);
    }

    /**
     * The channel's addresses plus what a listener filter detected ({@code null}: nothing ran,
     * which Envoy calls {@code raw_buffer} with no server name).
     */
    public static ConnectionInfo of(Channel ch, TlsInspector.Result detected) {
      TlsInspector.Result d = detected == null ? TlsInspector.Result.RAW_BUFFER : detected;
      SocketAddress local = ch.localAddress();
      SocketAddress remote = ch.remoteAddress();
      InetSocketAddress l = local instanceof InetSocketAddress a ? a : null;
      InetSocketAddress r = remote instanceof InetSocketAddress a ? a : null;
      return new ConnectionInfo(l == null ? 0 : l.getPort(), l == null ? null : l.getAddress(),
          r == null ? null : r.getAddress(), r == null ? 0 : r.getPort(),
          d.serverName(), d.transportProtocol(), d.applicationProtocols());
    }
  }

  private final int chains;
  private final boolean hasDefault;
  private final boolean needsTlsInspector;
  private final IntObjectHashMap<long[]> ports = new IntObjectHashMap<>();
  private final long[] anyPort;
  private final CidrLevel destinationIps;
  private final ServerNameLevel serverNames;
  private final Map<String, long[]> transports = new HashMap<>();
  private final long[] anyTransport;
  private final Map<String, long[]> alpns = new HashMap<>();
  private final long[] anyAlpn;
  private final CidrLevel directSourceIps;
  private final long[] local;
  private final long[] external;
  private final long[] anySourceType;
  private final CidrLevel sourceIps;
  private final IntObjectHashMap<long[]> sourcePorts = new IntObjectHashMap<>();
  private final long[] anySourcePort;

  private FilterChainMatcher(int chains, boolean hasDefault, boolean needsTlsInspector) {
    this.chains = chains;
    this.hasDefault = hasDefault;
    this.needsTlsInspector = needsTlsInspector;
    this.anyPort = ChainSet.empty(chains);
    this.destinationIps = new CidrLevel(chains);
    this.serverNames = new ServerNameLevel(chains);
    this.anyTransport = ChainSet.empty(chains);
    this.anyAlpn = ChainSet.empty(chains);
    this.directSourceIps = new CidrLevel(chains);
    this.local = ChainSet.empty(chains);
    this.external = ChainSet.empty(chains);
    this.anySourceType = ChainSet.empty(chains);
    this.sourceIps = new CidrLevel(chains);
    this.anySourcePort = ChainSet.empty(chains);
  }

  /**
   * Compiles a listener's {@code filter_chains} and {@code default_filter_chain} (may be null).
   * Only {@code filter_chain_match} is read here (the default chain's is ignored, as in Envoy);
   * problems are reported under {@code listenerPath.filter_chains[i].filter_chain_match}.
   * Returns null after recording problems.
   */
  public static FilterChainMatcher compile(
      List<FilterChain> filterChains, FilterChain defaultChain, ConfigPath listenerPath, ConfigProblems problems) {
    int before = problems.list().size();
    int n = filterChains.size();
    boolean inspector = false;
    for (FilterChain fc : filterChains) {
      FilterChainMatch fcm = fc.getFilterChainMatch();
      inspector |= fcm.getTransportProtocol().equals("tls") || (fcm.getTransportProtocol().isEmpty()
          && (fcm.getServerNamesCount() > 0 || fcm.getApplicationProtocolsCount() > 0));
    }
    FilterChainMatcher m = new FilterChainMatcher(n, defaultChain != null, inspector);
    List<List<Set<String>>> keys = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ConfigPath p = listenerPath.field("filter_chains").index(i).field("filter_chain_match");
      int problemsBefore = problems.list().size();
      List<Set<String>> k = m.add(i, filterChains.get(i).getFilterChainMatch(), p, problems);
      // an invalid chain's keys are incomplete: comparing them would report phantom duplicates
      keys.add(problems.list().size() > problemsBefore ? null : k);
    }
    for (int j = 1; j < n; j++) {
      for (int i = 0; i < j; i++) {
        if (keys.get(i) != null && keys.get(j) != null && sameRules(keys.get(i), keys.get(j))) {
          problems.add(listenerPath.field("filter_chains").index(j).field("filter_chain_match"),
              "multiple filter chains with the same matching rules are defined (same as filter_chains[" + i + "])");
        }
      }
    }
    return problems.list().size() > before ? null : m;
  }

  private List<Set<String>> add(int i, FilterChainMatch fcm, ConfigPath p, ConfigProblems problems) {
    SupportedFields.check(fcm, p, problems, "destination_port", "prefix_ranges", "server_names",
        "transport_protocol", "application_protocols", "direct_source_prefix_ranges", "source_type",
        "source_prefix_ranges", "source_ports");
    List<Set<String>> k = new ArrayList<>(9);
    if (fcm.hasDestinationPort()) {
      int port = fcm.getDestinationPort().getValue();
      if (port < 1 || port > 65535) {
        problems.add(p.field("destination_port"), port + " is out of range (expected: 1-65535)");
      }
      ChainSet.add(bucket(ports, port), i);
      k.add(Set.of(Integer.toString(port)));
    } else {
      ChainSet.add(anyPort, i);
      k.add(Set.of());
    }
    k.add(destinationIps.add(i, fcm.getPrefixRangesList(), p.field("prefix_ranges"), problems, chains));
    k.add(serverNames.add(i, fcm.getServerNamesList(), p.field("server_names"), problems));
    String transport = fcm.getTransportProtocol();
    if (transport.isEmpty()) {
      ChainSet.add(anyTransport, i);
    } else {
      ChainSet.add(transports.computeIfAbsent(transport, t -> ChainSet.empty(chains)), i);
    }
    k.add(transport.isEmpty() ? Set.of() : Set.of(transport));
    if (fcm.getApplicationProtocolsCount() == 0) {
      ChainSet.add(anyAlpn, i);
    }
    for (String a : fcm.getApplicationProtocolsList()) {
      ChainSet.add(alpns.computeIfAbsent(a, x -> ChainSet.empty(chains)), i);
    }
    k.add(new TreeSet<>(fcm.getApplicationProtocolsList()));
    k.add(directSourceIps.add(i, fcm.getDirectSourcePrefixRangesList(),
        p.field("direct_source_prefix_ranges"), problems, chains));
    switch (fcm.getSourceType()) {
      case ANY -> ChainSet.add(anySourceType, i);
      case SAME_IP_OR_LOOPBACK -> ChainSet.add(local, i);
      case EXTERNAL -> ChainSet.add(external, i);
      case UNRECOGNIZED -> problems.add(p.field("source_type"), "unrecognised source type " + fcm.getSourceTypeValue());
    }
    k.add(fcm.getSourceType() == FilterChainMatch.ConnectionSourceType.ANY ? Set.of() : Set.of(fcm.getSourceType().name()));
    k.add(sourceIps.add(i, fcm.getSourcePrefixRangesList(), p.field("source_prefix_ranges"), problems, chains));
    Set<String> sp = new TreeSet<>();
    if (fcm.getSourcePortsCount() == 0) {
      ChainSet.add(anySourcePort, i);
    }
    for (int port : fcm.getSourcePortsList()) {
      ChainSet.add(bucket(sourcePorts, port), i);
      sp.add(Integer.toString(port));
    }
    k.add(sp);
    return k;
  }

  private long[] bucket(IntObjectHashMap<long[]> map, int key) {
    long[] b = map.get(key);
    if (b == null) {
      b = ChainSet.empty(chains);
      map.put(key, b);
    }
    return b;
  }

  /** Envoy's duplicate rule: at every level both chains are wildcards or share a value. */
  private static boolean sameRules(List<Set<String>> a, List<Set<String>> b) {
    for (int level = 0; level < a.size(); level++) {
      Set<String> x = a.get(level);
      Set<String> y = b.get(level);
      if (x.isEmpty() != y.isEmpty()) {
        return false;
      }
      if (!x.isEmpty() && x.stream().noneMatch(y::contains)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The index of the chain for this connection; {@link #DEFAULT} when none matches and the
   * listener has a default chain; {@link #NO_MATCH} otherwise (close the connection).
   */
  public int select(ConnectionInfo c) {
    if (chains == 0) {
      return hasDefault ? DEFAULT : NO_MATCH;
    }
    long[] cand = ChainSet.empty(chains);
    ChainSet.fill(cand, chains);
    byte[] dst = c.destinationAddress() == null ? null : c.destinationAddress().getAddress();
    byte[] src = c.sourceAddress() == null ? null : c.sourceAddress().getAddress();
    boolean matched = (ChainSet.narrow(cand, ports.get(c.destinationPort())) || ChainSet.narrow(cand, anyPort))
        && destinationIps.narrow(cand, dst)
        && serverNames.narrow(cand, c.serverName())
        && (ChainSet.narrow(cand, transports.get(c.transportProtocol())) || ChainSet.narrow(cand, anyTransport))
        && narrowAlpn(cand, c.applicationProtocols())
        && directSourceIps.narrow(cand, src)
        && (ChainSet.narrow(cand, isLocal(c) ? local : external) || ChainSet.narrow(cand, anySourceType))
        && sourceIps.narrow(cand, src)
        && (ChainSet.narrow(cand, sourcePorts.get(c.sourcePort())) || ChainSet.narrow(cand, anySourcePort));
    if (matched) {
      return ChainSet.first(cand);
    }
    return hasDefault ? DEFAULT : NO_MATCH;
  }

  /**
   * {@link #select(ConnectionInfo)} for a channel: its addresses plus what the {@link TlsInspector}
   * stored in {@link TlsInspector#RESULT} (raw_buffer when it did not run). Call on the channel's
   * event loop once the inspector is done, e.g. on the first bytes it hands on.
   */
  public int select(Channel channel) {
    return select(ConnectionInfo.of(channel, channel.attr(TlsInspector.RESULT).get()));
  }

  private boolean narrowAlpn(long[] cand, List<String> offered) {
    for (int i = 0; i < offered.size(); i++) {
      if (ChainSet.narrow(cand, alpns.get(offered.get(i)))) {
        return true;
      }
    }
    return ChainSet.narrow(cand, anyAlpn);
  }

  /** Envoy's SAME_IP_OR_LOOPBACK: the source is a loopback address or the destination address. */
  private static boolean isLocal(ConnectionInfo c) {
    InetAddress s = c.sourceAddress();
    return s != null && (s.isLoopbackAddress() || s.equals(c.destinationAddress()));
  }

  /**
   * Whether a chain matches on what only a TLS inspector detects (transport_protocol "tls", or
   * server_names / application_protocols with no transport_protocol): Envoy then adds the
   * inspector to the listener by itself, and so should the caller.
   */
  public boolean needsTlsInspector() {
    return needsTlsInspector;
  }

  public boolean hasDefault() {
    return hasDefault;
  }
}
