package weft.controlplane.translate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which proxies a change re-translates (the property test checks the results are right). */
class IncrementalTranslatorTest {
  private static final String DENY_V2 = """
      apiVersion: security.istio.io/v1
      kind: AuthorizationPolicy
      metadata: {name: deny, namespace: jobs}
      spec: {selector: {matchLabels: {version: v2}}, action: DENY, rules: [{to: [{operation: {methods: [POST]}}]}]}
      """;

  @Test
  void aPolicyReTranslatesOnlyTheWorkloadsItSelects() {
    IncrementalTranslator t = new IncrementalTranslator(Mesh.OPTIONS);
    var before = t.translate(Mesh.resources(Mesh.BASE));
    assertThat(t.lastTranslated()).containsExactly("jobs/jobs-v1", "jobs/jobs-v2", "social/tweet-1");
    var after = t.translate(Mesh.resources(Mesh.BASE, DENY_V2));
    assertThat(t.lastTranslated()).containsExactly("jobs/jobs-v2");
    assertThat(after.snapshots().get("social/tweet-1")).isSameAs(before.snapshots().get("social/tweet-1"));
    // and back: the policy's former subject again
    t.translate(Mesh.resources(Mesh.BASE));
    assertThat(t.lastTranslated()).containsExactly("jobs/jobs-v2");
  }

  @Test
  void anUnchangedStoreReTranslatesNothing() {
    IncrementalTranslator t = new IncrementalTranslator(Mesh.OPTIONS);
    var first = t.translate(Mesh.resources(Mesh.BASE));
    assertThat(t.translate(Mesh.resources(Mesh.BASE))).isSameAs(first);
    assertThat(t.lastTranslated()).isEmpty();
  }

  @Test
  void anAddedEndpointReTranslatesTheNewProxyAndTheImporters() {
    String replica = """
        apiVersion: weft.dev/v1alpha1
        kind: Workload
        metadata: {name: tweet-2, namespace: social, labels: {app: tweet}}
        spec: {serviceAccount: tweet, addresses: [127.0.0.8], ports: [{name: http, port: 80}]}
        """;
    String jobsSeeOnlyJobs = """
        apiVersion: networking.istio.io/v1
        kind: Sidecar
        metadata: {name: default, namespace: jobs}
        spec: {egress: [{hosts: ["./*"]}]}
        """;
    IncrementalTranslator t = new IncrementalTranslator(Mesh.OPTIONS);
    var before = t.translate(Mesh.resources(Mesh.BASE, jobsSeeOnlyJobs));
    var after = t.translate(Mesh.resources(Mesh.BASE, jobsSeeOnlyJobs, replica));
    assertThat(t.lastTranslated()).containsExactly("social/tweet-1", "social/tweet-2");
    var tweet1Before = before.snapshots().get("social/tweet-1");
    var tweet1After = after.snapshots().get("social/tweet-1");
    // tweet's own endpoints changed: EDS, nothing else
    assertThat(tweet1After.endpoints()).isNotEqualTo(tweet1Before.endpoints());
    assertThat(tweet1After.typeHashes().subList(0, 3)).isEqualTo(tweet1Before.typeHashes().subList(0, 3));
    assertThat(after.snapshots().get("jobs/jobs-v1")).isSameAs(before.snapshots().get("jobs/jobs-v1"));
  }
}
