package weft.controlplane.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import weft.controlplane.xds.ProxySnapshot;

/**
 * Sidecar scoping (istio.io/latest/docs/reference/config/networking/sidecar/): a proxy is told only
 * about the services its Sidecar's {@code egress[].hosts} import. Mesh.BASE: tweet-1 (social) and
 * jobs-v1/jobs-v2 (jobs); services tweet.social and jobs.jobs (ports 80 and 5432).
 */
class SidecarScopeTranslationTest {
  private static final String JOBS = "jobs.jobs.svc.cluster.local";
  private static final String TWEET = "tweet.social.svc.cluster.local";

  static String sidecar(String namespace, String name, String selector, String... hosts) {
    return "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: {name: " + name + ", namespace: " + namespace + "}\n"
        + "spec: {" + (selector.isEmpty() ? "" : "workloadSelector: {labels: " + selector + "}, ")
        + "egress: [{hosts: [" + String.join(", ", Arrays.stream(hosts).map(h -> "\"" + h + "\"").toList()) + "]}]}";
  }

  /** The service hosts a snapshot has outbound clusters for. */
  static List<String> services(ProxySnapshot s) {
    return s.clusters().stream().map(c -> c.getName()).filter(n -> n.startsWith("outbound|"))
        .map(n -> n.substring(n.lastIndexOf('|') + 1)).distinct().sorted().toList();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      # IstioEgressListener.hosts "namespace/dnsName"; the Sidecar is social's default, the proxy tweet-1
      ns/*: every service of that namespace          | jobs/*                           | jobs.jobs.svc.cluster.local
      ./*: the proxy's own namespace                   | ./*                              | tweet.social.svc.cluster.local
      */host: that host in any namespace               | */jobs.jobs.svc.cluster.local    | jobs.jobs.svc.cluster.local
      ns/host: that host in that namespace             | jobs/jobs.jobs.svc.cluster.local | jobs.jobs.svc.cluster.local
      ns/host of another namespace: nothing            | social/jobs.jobs.svc.cluster.local |
      ./host outside the own namespace: nothing        | ./jobs.jobs.svc.cluster.local    |
      ~/*: nothing                                     | ~/*                              |
      */*: everything                                  | */*                              | jobs.jobs.svc.cluster.local tweet.social.svc.cluster.local
      left-most wildcard                               | */*.jobs.svc.cluster.local       | jobs.jobs.svc.cluster.local
      """)
  void egressHostForms(String rule, String host, String imported) {
    ProxySnapshot s = Mesh.translate(Mesh.BASE, sidecar("social", "default", "", host)).snapshots().get("social/tweet-1");
    List<String> expected = imported == null ? List.of() : List.of(imported.split(" "));
    assertThat(services(s)).as(rule).isEqualTo(expected);
    // routes and endpoints follow the clusters
    assertThat(s.endpoints()).extracting(ClusterLoadAssignment::getClusterName)
        .allMatch(n -> expected.contains(n.substring(n.lastIndexOf('|') + 1)));
    assertThat(s.routes().getFirst().getVirtualHostsList()).extracting(VirtualHost::getName)
        .allMatch(n -> expected.contains(n.substring(0, n.lastIndexOf(':'))));
  }

  @Test
  void aSelectingSidecarWinsOverTheNamespaceDefaultWhichWinsOverTheRootNamespaceDefault() {
    var t = Mesh.translate(Mesh.BASE,
        sidecar("istio-system", "default", "", "./*"),
        sidecar("jobs", "default", "", "social/*"),
        sidecar("jobs", "v2-only", "{version: v2}", "~/*"));
    assertThat(services(t.snapshots().get("jobs/jobs-v2"))).isEmpty();
    assertThat(services(t.snapshots().get("jobs/jobs-v1"))).containsExactly(TWEET);
    // social has no Sidecar: the root namespace's default, where "." is the proxy's own namespace
    assertThat(services(t.snapshots().get("social/tweet-1"))).containsExactly(TWEET);
    assertThat(t.problems()).isEmpty();
  }

  @Test
  void withoutAnySidecarEveryProxyGetsEveryService() {
    assertThat(services(Mesh.translate(Mesh.BASE).snapshots().get("social/tweet-1"))).containsExactly(JOBS, TWEET);
  }

  @Test
  void theDestinationsOfAnImportedVirtualServiceAreImportedToo() {
    String vs = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: tweet, namespace: social}
        spec: {hosts: [tweet], http: [{route: [{destination: {host: jobs.jobs.svc.cluster.local, port: {number: 80}}}]}]}
        """;
    var t = Mesh.translate(Mesh.BASE, vs, sidecar("social", "default", "", "./*"));
    assertThat(services(t.snapshots().get("social/tweet-1"))).containsExactly(JOBS, TWEET);
    assertThat(t.problems()).isEmpty();
  }

  @Test
  void aSecondNamespaceDefaultIsReportedAndTheFirstByNameApplies() {
    var t = Mesh.translate(Mesh.BASE, sidecar("social", "a", "", "./*"), sidecar("social", "b", "", "jobs/*"));
    assertThat(services(t.snapshots().get("social/tweet-1"))).containsExactly(TWEET);
    assertThat(t.problems()).containsExactly("Sidecar social/b: a namespace has one Sidecar without workloadSelector;"
        + " social/a (the first by name) applies");
  }

  @Test
  void aServiceChangeOutsideAProxysScopeDoesNotReTranslateIt() {
    String scoped = sidecar("social", "default", "", "./*");
    String jobsOn81 = """
        apiVersion: v1
        kind: Service
        metadata: {name: jobs, namespace: jobs}
        spec: {selector: {app: jobs}, ports: [{name: http, port: 81, targetPort: http}]}
        """;
    IncrementalTranslator translator = new IncrementalTranslator(Mesh.OPTIONS);
    var before = translator.translate(Mesh.resources(Mesh.BASE, scoped));
    String base = Mesh.BASE.substring(0, Mesh.BASE.indexOf("apiVersion: v1\nkind: Service"));
    String tweetService = Mesh.BASE.substring(Mesh.BASE.indexOf("---\napiVersion: weft.dev/v1alpha1\nkind: Service"));
    var after = translator.translate(Mesh.resources(base + tweetService, jobsOn81, scoped));
    assertThat(translator.lastTranslated()).containsExactly("jobs/jobs-v1", "jobs/jobs-v2");
    assertThat(after.snapshots().get("social/tweet-1")).isSameAs(before.snapshots().get("social/tweet-1"));
  }
}
