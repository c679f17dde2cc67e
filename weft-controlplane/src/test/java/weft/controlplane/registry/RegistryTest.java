package weft.controlplane.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import weft.api.ResourceSet;
import weft.api.load.LoadResult;
import weft.api.load.ResourceLoader;

class RegistryTest {
  private static final String YAML = """
      apiVersion: weft.dev/v1alpha1
      kind: Workload
      metadata: {name: a, namespace: shop, labels: {app: cart}}
      spec: {serviceAccount: cart, addresses: [10.0.0.1, 10.0.0.2], ports: [{name: web, port: 8080}], cluster: east, locality: {region: r1, zone: z1}}
      ---
      apiVersion: weft.dev/v1alpha1
      kind: Workload
      metadata: {name: b, namespace: shop, labels: {app: cart}}
      spec: {addresses: [10.0.0.3], ports: [{name: admin, port: 9090}]}
      ---
      apiVersion: weft.dev/v1alpha1
      kind: Workload
      metadata: {name: c, namespace: other, labels: {app: cart}}
      spec: {addresses: [10.0.0.4], ports: [{name: web, port: 8080}]}
      ---
      apiVersion: weft.dev/v1alpha1
      kind: Workload
      metadata: {name: d, namespace: shop, labels: {app: cart}}
      spec: {ports: [{name: web, port: 8080}]}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: cart, namespace: shop}
      spec: {selector: {app: cart}, ports: [{name: http, port: 80, targetPort: web}, {name: raw, port: 7000, targetPort: 7001}]}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: manual, namespace: shop}
      spec: {ports: [{port: 80}]}
      """;

  private static Registry registry() {
    LoadResult r = ResourceLoader.parse("r.yaml", YAML);
    assertThat(r.errors()).isEmpty();
    return Registry.of(r.resources(), "cluster.local");
  }

  @Test
  void endpointsAreSelectedWorkloadsOfTheNamespaceOnTheResolvedTargetPort() {
    MeshService cart = registry().byFqdn("cart.shop.svc.cluster.local").orElseThrow();
    // named targetPort: only workloads declaring "web" (b has none; c is in another namespace;
    // d has no address)
    assertThat(cart.endpoints(80)).singleElement().satisfies(e -> {
      assertThat(e.address().getHostAddress()).isEqualTo("10.0.0.1");
      assertThat(e.port()).isEqualTo(8080);
      assertThat(e.locality().region()).isEqualTo("r1");
      assertThat(e.cluster()).isEqualTo("east");
      assertThat(e.spiffeId("td")).isEqualTo("spiffe://td/ns/shop/sa/cart");
    });
    // numeric targetPort: every selected workload with an address, as Kubernetes
    assertThat(cart.endpoints(7000)).extracting(e -> e.address().getHostAddress() + ":" + e.port())
        .containsExactly("10.0.0.1:7001", "10.0.0.3:7001");
    assertThat(registry().byFqdn("manual.shop.svc.cluster.local").orElseThrow().endpoints(80)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
      // Istio's ResolveShortnameToFQDN: only names without dots are expanded
      "cart, shop, cart.shop.svc.cluster.local",
      "cart, other, cart.other.svc.cluster.local",
      "cart.shop.svc.cluster.local, other, cart.shop.svc.cluster.local",
      "cart.shop, other, cart.shop",
  })
  void hostsResolveAsIstioResolvesShortNames(String host, String namespace, String fqdn) {
    assertThat(registry().fqdn(host, namespace)).isEqualTo(fqdn);
    assertThat(registry().resolve(host, namespace).isPresent()).isEqualTo(fqdn.equals("cart.shop.svc.cluster.local"));
  }

  @Test
  void servicesAreListedInHostOrder() {
    assertThat(registry().services()).extracting(MeshService::fqdn)
        .isEqualTo(List.of("cart.shop.svc.cluster.local", "manual.shop.svc.cluster.local"));
    assertThat(ResourceSet.empty().services()).isEmpty();
  }
}
