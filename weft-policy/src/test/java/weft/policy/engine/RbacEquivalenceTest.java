package weft.policy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import weft.policy.export.InboundRbac;
import weft.policy.export.RbacExport;
import weft.policy.identity.Identities;
import weft.policy.model.AuthzPolicy;
import weft.policy.model.Dialect;
import weft.policy.model.Direction;
import weft.policy.model.HttpRequest;
import weft.policy.model.IpAddress;
import weft.policy.model.L7Rules;
import weft.policy.model.LabelPolicy;
import weft.policy.model.MtlsPolicy;
import weft.policy.model.PolicyRef;
import weft.policy.model.Protocol;
import weft.policy.model.Rule;
import weft.policy.model.WorkloadInfo;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.filter.rbac.RbacFilterConfig;
import weft.proxy.filter.rbac.RbacRequest;
import weft.proxy.observe.StatsStore;

/**
 * The exported Envoy RBAC, enforced by the proxy's RBAC engine ({@code weft.proxy.filter.rbac}),
 * reproduces {@link PolicyEngine#evaluate} for TCP flows into a workload. The domain is what the
 * export covers (docs/policy.md): inbound policy only (egress is enforced at the source), no Kafka
 * rules (not exported: fail closed), no PeerAuthentication DISABLE.
 *
 * <p>Each try generates policies and judges every flow of {@link #FLOWS} against them: compiling
 * the engine and the RBAC is the expensive part, and a mismatch is usually confined to a few
 * flows (the 2026-11-21 counterexample: 1 try in ~1250 when each try drew one flow).
 */
class RbacEquivalenceTest {

  @Provide
  Arbitrary<List<LabelPolicy>> labelPolicies() {
    return PolicyArbitraries.labelPolicies().map(RbacEquivalenceTest::inboundWithoutKafka).list().ofMaxSize(4);
  }

  @Provide
  Arbitrary<List<AuthzPolicy>> authzPolicies() {
    return PolicyArbitraries.authzPolicies().list().ofMaxSize(3);
  }

  static LabelPolicy inboundWithoutKafka(LabelPolicy p) {
    List<Rule> ingress = p.ingress().stream()
        .filter(r -> r.ports().stream().noneMatch(pr -> pr.l7() instanceof L7Rules.Kafka)).toList();
    Set<Direction> deny = p.defaultDeny().contains(Direction.INGRESS) ? Set.of(Direction.INGRESS) : Set.of();
    return new LabelPolicy(p.ref(), p.subject(), deny, ingress, List.of(), List.of(), List.of());
  }

  /**
   * Every TCP flow into a workload that {@link PolicyArbitraries#flows} can draw, without Kafka
   * requests, plus X-Forwarded-For and foreign-principal variants for Istio's remoteIpBlocks and
   * namespaces.
   */
  static final List<Flow> FLOWS = allFlows();

  private static List<Flow> allFlows() {
    List<Flow> out = new ArrayList<>();
    List<Optional<HttpRequest>> requests = List.of(Optional.empty(),
        Optional.of(new HttpRequest("GET", "/jobs/1", "jobs-api", Map.of())),
        Optional.of(new HttpRequest("POST", "/x", "jobs-api", Map.of())));
    for (String s : List.of("default/tweet", "default/jobs-api", "default/recruiter", "other/spy",
        "node/node-1", "node/node-2", "203.0.113.7", "10.0.0.99")) {
      for (String d : List.of("default/tweet", "default/jobs-api", "default/recruiter", "default/kafka")) {
        for (int port : new int[] {80, 53, 8005, 9092, 443}) {
          for (Optional<HttpRequest> http : requests) {
            for (Optional<Boolean> mtls : List.of(Optional.<Boolean>empty(), Optional.of(false))) {
              out.add(new Flow(Endpoint.parse(s), Endpoint.parse(d), Protocol.TCP, port, mtls, Optional.empty(),
                  Optional.empty(), http, Optional.empty()));
            }
            // a client address from X-Forwarded-For, and a principal of another namespace
            out.add(new Flow(Endpoint.parse(s), Endpoint.parse(d), Protocol.TCP, port, Optional.empty(), Optional.empty(),
                Optional.of(IpAddress.of("203.0.113.9")), http, Optional.empty()));
            out.add(new Flow(Endpoint.parse(s), Endpoint.parse(d), Protocol.TCP, port, Optional.of(true),
                Optional.of("spiffe://cluster.local/ns/other/sa/x"), Optional.empty(), http, Optional.empty()));
          }
        }
      }
    }
    return List.copyOf(out);
  }

  // Unpinned: a pinned seed hid the 2026-11-21 mismatch (RbacExportExamplesTest holds it and the
  // one found next). Measured before the fixes, ten random seeds each: 300 tries found the
  // Kubernetes L7 mismatch every time (within 149 tries), the Istio name collision 9 times in 10.
  @Property(tries = 300)
  void exportedRbacReproducesEvaluate(
      @ForAll("labelPolicies") List<LabelPolicy> label,
      @ForAll("authzPolicies") List<AuthzPolicy> authz,
      @ForAll boolean strict) {
    Mesh m = Mesh.demo();
    m.label.addAll(label);
    m.authz.addAll(authz);
    if (strict) {
      m.mtls.add(new MtlsPolicy(new PolicyRef(Dialect.ISTIO, "PeerAuthentication", "istio-system", "mesh"),
          Optional.empty(), MtlsPolicy.Mode.STRICT, Map.of()));
    }
    PolicyEngine engine = m.engine();
    Map<Endpoint, Enforcer> enforcers = new HashMap<>();
    for (Flow flow : FLOWS) {
      Endpoint.Workload dst = (Endpoint.Workload) flow.destination();
      Enforcer rbac = enforcers.computeIfAbsent(dst, x -> new Enforcer(RbacExport.export(engine, dst.namespace(), dst.name())));
      // check is evaluate without the explanation (PolicyPropertiesTest keeps them equal)
      boolean expected = engine.check(flow) == null;
      assertThat(rbac.allows(request(engine, flow)))
          .as(() -> flow.describe() + "\nevaluate: " + engine.evaluate(flow) + "\nrbac: " + rbac.rbac)
          .isEqualTo(expected);
    }
  }

  static boolean enforce(InboundRbac rbac, RbacRequest r) {
    return new Enforcer(rbac).allows(r);
  }

  /** The exported filters of one workload, compiled once by the proxy's RBAC filter code. */
  static final class Enforcer {
    final InboundRbac rbac;
    private final List<RbacFilterConfig> tcp = new ArrayList<>();
    private final List<RbacFilterConfig> httpNetwork = new ArrayList<>();
    private final List<RbacFilterConfig> http = new ArrayList<>();

    Enforcer(InboundRbac rbac) {
      this.rbac = rbac;
      StatsStore stats = new StatsStore();
      ConfigProblems problems = new ConfigProblems();
      for (var n : rbac.tcpNetwork()) tcp.add(RbacFilterConfig.compileNetwork(n, stats, ConfigPath.root(), problems));
      for (var n : rbac.httpNetwork()) httpNetwork.add(RbacFilterConfig.compileNetwork(n, stats, ConfigPath.root(), problems));
      for (var h : rbac.http()) http.add(RbacFilterConfig.compileHttp(h, "inbound", stats, ConfigPath.root(), problems));
      assertThat(problems.list()).as("RBAC problems").isEmpty();
    }

    /** HTTP requests go through the HTTP chain's network then HTTP filters, the rest through the TCP chain's. */
    boolean allows(RbacRequest r) {
      boolean isHttp = r.path() != null;
      for (RbacFilterConfig c : isHttp ? httpNetwork : tcp) {
        if (!c.check(r).allowed()) return false;
      }
      if (!isHttp) return true;
      for (RbacFilterConfig c : http) {
        if (!c.check(r).allowed()) return false;
      }
      return true;
    }
  }

  static RbacRequest request(PolicyEngine engine, Flow f) {
    InetSocketAddress src = new InetSocketAddress(inet(address(engine, f.source())), 40000);
    InetSocketAddress dst = new InetSocketAddress(inet(address(engine, f.destination())), f.port());
    boolean mtls = f.mtls().orElse(f.source() instanceof Endpoint.Workload);
    List<String> sans = new ArrayList<>();
    if (mtls) {
      f.principal().ifPresentOrElse(sans::add, () -> {
        if (f.source() instanceof Endpoint.Workload s) {
          sans.add(Identities.spiffeId("cluster.local", engine.workload(s.namespace(), s.name()).orElseThrow().workload()));
        }
      });
    }
    return new RbacRequest() {
      @Override
      public String header(String name) {
        if (f.http().isEmpty()) return null;
        var h = f.http().get();
        return switch (name) {
          case ":method" -> h.method();
          case ":path" -> h.path();
          case ":authority" -> h.host();
          case ":scheme" -> "http";
          default -> h.headers().get(name.toLowerCase(Locale.ROOT));
        };
      }

      @Override
      public String path() {
        return f.http().map(h -> h.path()).orElse(null);
      }

      @Override
      public InetSocketAddress remoteAddress() {
        return f.remoteIp().map(ip -> new InetSocketAddress(inet(ip), 0)).orElse(src);
      }

      @Override
      public InetSocketAddress directRemoteAddress() {
        return src;
      }

      @Override
      public InetSocketAddress localAddress() {
        return dst;
      }

      @Override
      public boolean tls() {
        return mtls;
      }

      @Override
      public List<String> peerUriSans() {
        return sans;
      }

      @Override
      public List<String> peerDnsSans() {
        return List.of();
      }

      @Override
      public String peerSubject() {
        return "";
      }

      @Override
      public String requestedServerName() {
        return "";
      }
    };
  }

  static IpAddress address(PolicyEngine engine, Endpoint e) {
    return switch (e) {
      case Endpoint.Ip ip -> ip.address();
      case Endpoint.Workload w -> engine.workload(w.namespace(), w.name()).map(WorkloadPolicy::workload)
          .map(WorkloadInfo::addresses).orElseThrow().get(0);
      case Endpoint.Node n -> engine.inputs().nodes().stream().filter(x -> x.name().equals(n.name()))
          .findFirst().orElseThrow().addresses().get(0);
    };
  }

  static InetAddress inet(IpAddress ip) {
    try {
      return InetAddress.getByName(ip.toString());
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

}
