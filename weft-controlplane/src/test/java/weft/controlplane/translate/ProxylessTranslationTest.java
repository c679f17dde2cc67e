package weft.controlplane.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import org.junit.jupiter.api.Test;

/**
 * What the proxyless snapshot changes so grpc-java accepts it (the end-to-end check with a real
 * grpc-java client is {@code weft.controlplane.ProxylessGrpcInteropTest}).
 */
class ProxylessTranslationTest {
  private static final String DR = """
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata: {name: jobs, namespace: jobs}
      spec:
        host: jobs
        trafficPolicy: {loadBalancer: {simple: RANDOM}}
        subsets:
        - {name: v1, labels: {version: v1}, trafficPolicy: {loadBalancer: {simple: LEAST_REQUEST}}}
        - {name: v2, labels: {version: v2}, trafficPolicy: {loadBalancer: {simple: RANDOM}}}
        - {name: v3, labels: {version: v3}, trafficPolicy: {loadBalancer: {consistentHash: {httpHeaderName: x-user}}}}
      """;

  // grpc-java 1.85: "CDS response Cluster 'outbound|...' validation error: ... unsupported lb policy: RANDOM"
  @Test
  void randomBecomesRoundRobinForProxylessClientsAndIsReported() {
    Translator.Translation t = Mesh.translate(Mesh.BASE, DR);
    assertThat(t.proxyless().clusters()).extracting(Cluster::getLbPolicy)
        .doesNotContain(Cluster.LbPolicy.RANDOM)
        .contains(Cluster.LbPolicy.LEAST_REQUEST, Cluster.LbPolicy.RING_HASH);
    assertThat(Mesh.cluster(t.proxyless(), "outbound|80||jobs.jobs.svc.cluster.local").getLbPolicy())
        .isEqualTo(Cluster.LbPolicy.ROUND_ROBIN);
    assertThat(Mesh.cluster(t.proxyless(), "outbound|80|v2|jobs.jobs.svc.cluster.local").getLbPolicy())
        .isEqualTo(Cluster.LbPolicy.ROUND_ROBIN);
    // sidecars do RANDOM
    assertThat(Mesh.cluster(t.snapshots().get("social/tweet-1"), "outbound|80|v2|jobs.jobs.svc.cluster.local").getLbPolicy())
        .isEqualTo(Cluster.LbPolicy.RANDOM);
    String unsupported = ".loadBalancer.simple: RANDOM is not supported by proxyless gRPC clients"
        + " (grpc-java rejects the cluster); they are given ROUND_ROBIN";
    assertThat(t.problems()).containsExactly(
        "DestinationRule jobs/jobs: spec.trafficPolicy" + unsupported,
        "DestinationRule jobs/jobs: spec.subsets[1].trafficPolicy" + unsupported);
  }

  @Test
  void policiesGrpcImplementsAreKept() {
    Translator.Translation t = Mesh.translate(Mesh.BASE, DR.replace("RANDOM", "LEAST_REQUEST"));
    assertThat(t.problems()).isEmpty();
    assertThat(Mesh.cluster(t.proxyless(), "outbound|80||jobs.jobs.svc.cluster.local").getLbPolicy())
        .isEqualTo(Cluster.LbPolicy.LEAST_REQUEST);
    assertThat(Mesh.cluster(t.proxyless(), "outbound|80|v3|jobs.jobs.svc.cluster.local").getLbPolicy())
        .isEqualTo(Cluster.LbPolicy.RING_HASH);
  }
}
