package weft.api.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import weft.api.NetworkPolicy;
import weft.api.k8s.IpBlock;
import weft.api.k8s.NetworkPolicyPeer;
import weft.api.k8s.NetworkPolicyPort;
import weft.api.k8s.NetworkPolicyRule;
import weft.api.k8s.PolicyType;
import weft.api.meta.Cidr;
import weft.api.meta.LabelRequirement;
import weft.api.meta.LabelSelector;
import weft.api.meta.ObjectMeta;
import weft.api.meta.PortRef;
import weft.api.meta.Protocol;

/** decode(print(policy)) == policy for generated NetworkPolicies. */
class NetworkPolicyRoundTripTest {

  @Property(tries = 100)
  void decodingAPrintedPolicyGivesItBack(@ForAll("policies") NetworkPolicy np) {
    String yaml = NetworkPolicyPrinter.toYaml(np);
    LoadResult r = ResourceLoader.parse("np.yaml", yaml);
    assertThat(r.errors()).as(yaml).isEmpty();
    assertThat(r.loaded().get(0).resource()).as(yaml).isEqualTo(np);
  }

  @Property(tries = 300)
  void aPrintedCidrParsesToItself(@ForAll("cidrs") Cidr cidr) {
    assertThat(Cidr.parse(cidr.toString())).isEqualTo(cidr);
  }

  @Property(tries = 300)
  void aPrintedIpv6CidrParsesToItself(@ForAll("ipv6") Cidr cidr) {
    assertThat(Cidr.parse(cidr.toString())).isEqualTo(cidr);
  }

  @Provide
  Arbitrary<Cidr> ipv6() {
    // Few distinct group values, so zero runs of every length and position occur.
    Arbitrary<Integer> group = Arbitraries.of(0, 0, 0, 1, 0xdb8, 0xffff);
    return Combinators.combine(group.list().ofSize(8), Arbitraries.integers().between(0, 128))
        .as(
            (groups, prefix) -> {
              java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(16);
              groups.forEach(g -> buf.putShort((short) (int) g));
              try {
                InetAddress a = InetAddress.getByAddress(buf.array());
                // ::ffff:a.b.c.d comes back as IPv4 by design; not an IPv6 case
                return a instanceof java.net.Inet4Address ? null : new Cidr(a, prefix);
              } catch (UnknownHostException e) {
                throw new AssertionError(e);
              }
            })
        .filter(c -> c != null);
  }

  @Provide
  Arbitrary<NetworkPolicy> policies() {
    Arbitrary<ObjectMeta> meta =
        Combinators.combine(dnsLabel(), Arbitraries.of("default", "jobs", "web"), labels())
            .as((n, ns, l) -> ObjectMeta.of(n, ns, l));
    Arbitrary<Set<PolicyType>> types =
        Arbitraries.of(Set.of(PolicyType.INGRESS), Set.of(PolicyType.EGRESS), Set.of(PolicyType.INGRESS, PolicyType.EGRESS));
    return Combinators.combine(meta, selectors(), types, rules().list().ofMaxSize(3), rules().list().ofMaxSize(3))
        .as(NetworkPolicy::new);
  }

  private Arbitrary<NetworkPolicyRule> rules() {
    return Combinators.combine(peers().list().ofMaxSize(3), ports().list().ofMaxSize(3)).as(NetworkPolicyRule::new);
  }

  private Arbitrary<NetworkPolicyPeer> peers() {
    Arbitrary<NetworkPolicyPeer> pods =
        Combinators.combine(selectors(), selectors().optional()).as(NetworkPolicyPeer.Pods::new);
    Arbitrary<NetworkPolicyPeer> addresses =
        Combinators.combine(cidrs(), Arbitraries.integers().between(1, 8), Arbitraries.integers().between(0, 2))
            .as(NetworkPolicyRoundTripTest::ipBlock)
            .map(NetworkPolicyPeer.Addresses::new);
    return Arbitraries.oneOf(pods, addresses);
  }

  /** An ipBlock with {@code count} distinct excepts strictly inside the cidr. */
  private static IpBlock ipBlock(Cidr cidr, int extraBits, int count) {
    int prefix = Math.min(32, cidr.prefixLength() + extraBits);
    List<Cidr> except =
        java.util.stream.IntStream.range(0, prefix > cidr.prefixLength() ? count : 0)
            .mapToObj(i -> subnet(cidr, prefix, i))
            .distinct()
            .toList();
    return new IpBlock(cidr, except);
  }

  private static Cidr subnet(Cidr cidr, int prefix, int i) {
    int base = java.nio.ByteBuffer.wrap(cidr.address().getAddress()).getInt();
    int offset = (int) ((long) i << (32 - prefix)) & (prefix - cidr.prefixLength() >= 32 ? -1 : ((1 << (32 - cidr.prefixLength())) - 1));
    return new Cidr(v4(base | offset), prefix);
  }

  @Provide
  Arbitrary<Cidr> cidrs() {
    return Combinators.combine(Arbitraries.integers(), Arbitraries.integers().between(8, 30))
        .as((bits, prefix) -> new Cidr(v4(bits), prefix));
  }

  private static InetAddress v4(int bits) {
    try {
      return InetAddress.getByAddress(java.nio.ByteBuffer.allocate(4).putInt(bits).array());
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private Arbitrary<NetworkPolicyPort> ports() {
    Arbitrary<Protocol> protocol = Arbitraries.of(Protocol.TCP, Protocol.UDP, Protocol.SCTP);
    Arbitrary<NetworkPolicyPort> none = protocol.map(p -> new NetworkPolicyPort(p, Optional.empty(), Optional.empty()));
    Arbitrary<NetworkPolicyPort> named =
        Combinators.combine(protocol, Arbitraries.of("http", "dns", "metrics", "grpc-web"))
            .as((p, n) -> new NetworkPolicyPort(p, Optional.of(PortRef.of(n)), Optional.empty()));
    Arbitrary<NetworkPolicyPort> numbered =
        Combinators.combine(protocol, Arbitraries.integers().between(1, 65535), Arbitraries.integers().between(0, 100).optional())
            .as(
                (p, port, span) ->
                    new NetworkPolicyPort(
                        p, Optional.of(PortRef.of(port)), span.map(s -> Math.min(65535, port + s))));
    return Arbitraries.oneOf(none, named, numbered);
  }

  private Arbitrary<LabelSelector> selectors() {
    Arbitrary<LabelRequirement> requirement =
        Combinators.combine(
                labelKeys(),
                Arbitraries.of(LabelRequirement.Operator.class),
                labelValues().list().ofMinSize(1).ofMaxSize(3))
            .as((k, op, values) -> new LabelRequirement(k, op, op.needsValues() ? values : List.of()));
    return Combinators.combine(labels(), requirement.list().ofMaxSize(2)).as(LabelSelector::new);
  }

  private Arbitrary<Map<String, String>> labels() {
    return Arbitraries.maps(labelKeys(), labelValues()).ofMaxSize(3);
  }

  private Arbitrary<String> labelKeys() {
    return Arbitraries.of("app", "tier", "team", "example.com/role", "kubernetes.io/metadata.name", "version");
  }

  private Arbitrary<String> labelValues() {
    return Arbitraries.oneOf(
        Arbitraries.just(""),
        Arbitraries.strings().withChars("abcxyz019").ofMinLength(1).ofMaxLength(8),
        Arbitraries.of("jobs-api", "a.b_c", "true", "80", "null", "yes", "on", "No", "0x1F", "1e3"));
  }

  private Arbitrary<String> dnsLabel() {
    return Arbitraries.strings().withChars("abcdefghij0123").ofMinLength(1).ofMaxLength(20);
  }
}
