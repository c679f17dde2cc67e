package weft.proxy.listener;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch.ConnectionSourceType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblem;
import weft.proxy.config.ConfigProblems;
import weft.proxy.listener.FilterChainMatcher.ConnectionInfo;

/** Envoy's FilterChainMatch selection order (listener_components.proto, "FilterChainMatch"). */
class FilterChainMatcherTest {
  static FilterChain chain(UnaryOperator<FilterChainMatch.Builder> match) {
    return FilterChain.newBuilder().setFilterChainMatch(match.apply(FilterChainMatch.newBuilder())).build();
  }

  static CidrRange cidr(String prefix, int len) {
    return CidrRange.newBuilder().setAddressPrefix(prefix).setPrefixLen(UInt32Value.of(len)).build();
  }

  static FilterChainMatcher compile(FilterChain defaultChain, List<FilterChain> chains) {
    ConfigProblems problems = new ConfigProblems();
    FilterChainMatcher m = FilterChainMatcher.compile(chains, defaultChain, ConfigPath.of("listener"), problems);
    assertThat(problems.list()).isEmpty();
    return m;
  }

  static ConnectionInfo conn(int port, String dst, String src, String sni, String transport, String alpn) {
    try {
      return new ConnectionInfo(port, InetAddress.getByName(dst), InetAddress.getByName(src), 40000, sni,
          transport, alpn.isEmpty() ? List.of() : List.of(alpn.split(" ")));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static final List<FilterChain> SERVER_NAMES = List.of(
      chain(m -> m.addServerNames("www.example.com")),
      chain(m -> m.addServerNames("*.example.com")),
      chain(m -> m.addServerNames("*.com")),
      chain(m -> m));

  @ParameterizedTest(name = "sni \"{0}\" -> chain {1}")
  @CsvSource({
    // "for SNI www.example.com the most specific match would be www.example.com, then *.example.com,
    // then *.com, then any filter chain without server_names requirements"
    "www.example.com, 0",
    "api.example.com, 1",
    "a.b.example.com, 1",
    "example.com, 2",
    "foo.com, 2",
    "example.org, 3",
    "'', 3",
  })
  void serverNamesPreferExactThenLongestWildcardThenNone(String sni, int expected) {
    assertThat(compile(null, SERVER_NAMES).select(conn(443, "127.0.0.1", "127.0.0.1", sni, "tls", "")))
        .isEqualTo(expected);
  }

  static final List<FilterChain> PORTS_AND_ALPN = List.of(
      chain(m -> m.setDestinationPort(UInt32Value.of(443)).addApplicationProtocols("h2")),
      chain(m -> m.setDestinationPort(UInt32Value.of(443)).addApplicationProtocols("http/1.1")),
      chain(m -> m.setDestinationPort(UInt32Value.of(443))),
      chain(m -> m.addApplicationProtocols("h2")));

  @ParameterizedTest(name = "port {0} alpn [{1}] -> chain {2}")
  @CsvSource({
    "443, h2 http/1.1, 0",        // the connection's first ALPN protocol that some chain lists
    "443, http/1.1 h2, 1",
    "443, '', 2",
    "443, spdy/3, 2",
    "80, h2, 3",                  // destination port is decided first: chain 3 has no port
    "80, http/1.1, -1",           // no backtracking to the port-443 chains, and no default
  })
  void destinationPortComesBeforeApplicationProtocols(int port, String alpn, int expected) {
    assertThat(compile(null, PORTS_AND_ALPN).select(conn(port, "127.0.0.1", "127.0.0.1", "", "tls", alpn)))
        .isEqualTo(expected);
  }

  @Test
  void theMostSpecificStepWinsEvenWhenALaterStepThenFails() {
    // the doc's pruning rule: SNI a.com keeps only chain 0, whose transport_protocol then fails
    List<FilterChain> chains = List.of(
        chain(m -> m.addServerNames("a.com").setTransportProtocol("tls")),
        chain(m -> m.setTransportProtocol("raw_buffer")));
    assertThat(compile(null, chains).select(conn(80, "127.0.0.1", "127.0.0.1", "a.com", "raw_buffer", "")))
        .isEqualTo(FilterChainMatcher.NO_MATCH);
    assertThat(compile(chain(m -> m), chains).select(conn(80, "127.0.0.1", "127.0.0.1", "a.com", "raw_buffer", "")))
        .isEqualTo(FilterChainMatcher.DEFAULT);
    assertThat(compile(null, chains).select(conn(80, "127.0.0.1", "127.0.0.1", "", "raw_buffer", "")))
        .isEqualTo(1);
  }

  @ParameterizedTest(name = "{0} -> {1} -> chain {2}")
  @CsvSource({
    "10.1.2.3, 10.9.9.9, 1",      // longest destination prefix
    "10.2.0.1, 10.9.9.9, 0",
    "192.168.1.1, 10.9.9.9, 2",
    "192.168.1.1, 127.0.0.1, 3",  // SAME_IP_OR_LOOPBACK source
    "192.168.1.1, 192.168.1.1, 3",
    "::1, 10.9.9.9, 2",
  })
  void addressesMatchByLongestPrefixAndSourceType(String dst, String src, int expected) {
    List<FilterChain> chains = List.of(
        chain(m -> m.addPrefixRanges(cidr("10.0.0.0", 8))),
        chain(m -> m.addPrefixRanges(cidr("10.1.0.0", 16))),
        chain(m -> m.setSourceType(ConnectionSourceType.EXTERNAL)),
        chain(m -> m.setSourceType(ConnectionSourceType.SAME_IP_OR_LOOPBACK)));
    assertThat(compile(null, chains).select(conn(80, dst, src, "", "raw_buffer", ""))).isEqualTo(expected);
  }

  @Test
  void sourcePrefixAndSourcePortsAreTheLastSteps() {
    List<FilterChain> chains = List.of(
        chain(m -> m.addSourcePrefixRanges(cidr("10.0.0.0", 8)).addSourcePorts(40000)),
        chain(m -> m.addSourcePrefixRanges(cidr("10.0.0.0", 8))),
        chain(m -> m));
    FilterChainMatcher m = compile(null, chains);
    assertThat(m.select(conn(80, "127.0.0.1", "10.0.0.1", "", "raw_buffer", ""))).isEqualTo(0);
    assertThat(m.select(new ConnectionInfo(80, null, InetAddress.getLoopbackAddress(), 1, "", "raw_buffer", List.of())))
        .isEqualTo(2);
  }

  @Test
  void noChainsAndADefaultAlwaysGiveTheDefault() {
    assertThat(compile(chain(m -> m), List.of()).select(conn(1, "127.0.0.1", "127.0.0.1", "x", "tls", "h2")))
        .isEqualTo(FilterChainMatcher.DEFAULT);
    assertThat(compile(null, List.of()).select(conn(1, "127.0.0.1", "127.0.0.1", "x", "tls", "h2")))
        .isEqualTo(FilterChainMatcher.NO_MATCH);
  }

  @Test
  void serverNamesOrTlsTransportNeedTheTlsInspector() {
    assertThat(compile(null, SERVER_NAMES).needsTlsInspector()).isTrue();
    assertThat(compile(null, List.of(chain(m -> m.setTransportProtocol("tls")))).needsTlsInspector()).isTrue();
    assertThat(compile(null, List.of(chain(m -> m.setDestinationPort(UInt32Value.of(80))))).needsTlsInspector()).isFalse();
  }

  @Test
  void refusesDuplicatesPartialWildcardsAndUnsupportedFields() {
    ConfigProblems problems = new ConfigProblems();
    FilterChainMatcher m = FilterChainMatcher.compile(List.of(
        chain(b -> b.addServerNames("a.example.com").addServerNames("b.example.com")),
        chain(b -> b.addServerNames("B.example.com")),
        chain(b -> b.addServerNames("a*.example.com")),
        chain(b -> b.addPrefixRanges(cidr("10.0.0.300", 8))),
        chain(b -> b.setAddressSuffix("x"))), null, ConfigPath.of("listener"), problems);
    assertThat(m).isNull();
    assertThat(problems.list()).map(ConfigProblem::toString).containsExactlyInAnyOrder(
        "listener.filter_chains[1].filter_chain_match: multiple filter chains with the same matching rules "
            + "are defined (same as filter_chains[0])",
        "listener.filter_chains[2].filter_chain_match.server_names[0]: \"a*.example.com\" is not a server name "
            + "(partial wildcards are not supported; expected: host or *.domain)",
        "listener.filter_chains[3].filter_chain_match.prefix_ranges[0].address_prefix: \"10.0.0.300\" is not an IP address",
        "listener.filter_chains[4].filter_chain_match.address_suffix: field is not supported by weft");
  }

  @Property(tries = 50)
  void chainOrderNeverChangesWhichChainIsSelected(@ForAll long seed) {
    List<FilterChain> chains = new ArrayList<>(SERVER_NAMES);
    chains.addAll(List.of(
        chain(m -> m.setDestinationPort(UInt32Value.of(8443)).addServerNames("*.example.com")),
        chain(m -> m.setDestinationPort(UInt32Value.of(8443)).setTransportProtocol("raw_buffer")),
        chain(m -> m.addServerNames("api.weft.dev").addApplicationProtocols("h2"))));
    List<FilterChain> shuffled = new ArrayList<>(chains);
    Collections.shuffle(shuffled, new Random(seed));
    FilterChainMatcher a = compile(null, chains);
    FilterChainMatcher b = compile(null, shuffled);
    for (ConnectionInfo c : List.of(
        conn(443, "127.0.0.1", "127.0.0.1", "www.example.com", "tls", ""),
        conn(8443, "127.0.0.1", "127.0.0.1", "x.example.com", "tls", ""),
        conn(8443, "127.0.0.1", "127.0.0.1", "", "raw_buffer", ""),
        conn(8443, "127.0.0.1", "127.0.0.1", "", "tls", ""),
        conn(443, "127.0.0.1", "127.0.0.1", "api.weft.dev", "tls", "http/1.1 h2"),
        conn(443, "127.0.0.1", "127.0.0.1", "api.weft.dev", "tls", "http/1.1"))) {
      int i = a.select(c);
      int j = b.select(c);
      assertThat(i < 0 ? null : chains.get(i)).isEqualTo(j < 0 ? null : shuffled.get(j));
    }
  }
}
