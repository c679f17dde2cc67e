package weft.controlplane.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.List;
import weft.api.ResourceSet;
import weft.api.load.LoadResult;
import weft.api.load.ResourceLoader;
import weft.controlplane.xds.ProxySnapshot;

/** A small mesh as YAML (tweet calls jobs; jobs has v1 and v2) and lookups into snapshots. */
final class Mesh {
  static final TranslateOptions OPTIONS =
      new TranslateOptions("cluster.local", "istio-system", "cluster.local", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");

  static final String BASE = """
      apiVersion: weft.dev/v1alpha1
      kind: Workload
      metadata: {name: tweet-1, namespace: social, labels: {app: tweet}}
      spec: {serviceAccount: tweet, addresses: [127.0.0.5], ports: [{name: http, port: 80}], locality: {region: eu-west, zone: eu-west-a}}
      ---
      apiVersion: weft.dev/v1alpha1
      kind: Workload
      metadata: {name: jobs-v1, namespace: jobs, labels: {app: jobs, version: v1}}
      spec:
        serviceAccount: jobs
        addresses: [127.0.0.6]
        ports: [{name: http, port: 8080}, {name: tcp-db, port: 5432}]
        locality: {region: eu-west, zone: eu-west-b}
      ---
      apiVersion: weft.dev/v1alpha1
      kind: Workload
      metadata: {name: jobs-v2, namespace: jobs, labels: {app: jobs, version: v2}}
      spec:
        serviceAccount: jobs-canary
        addresses: [127.0.0.7]
        ports: [{name: http, port: 8080}]
        locality: {region: eu-central, zone: eu-central-a}
        app: {address: 127.0.0.1, portOffset: 1000}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: jobs, namespace: jobs}
      spec: {selector: {app: jobs}, ports: [{name: http, port: 80, targetPort: http}, {name: tcp-db, port: 5432, targetPort: tcp-db}]}
      ---
      apiVersion: weft.dev/v1alpha1
      kind: Service
      metadata: {name: tweet, namespace: social}
      spec: {selector: {app: tweet}, ports: [{name: http, port: 80}]}
      """;

  private Mesh() {}

  static ResourceSet resources(String... yaml) {
    LoadResult r = ResourceLoader.parse("mesh.yaml", String.join("\n---\n", yaml));
    assertThat(r.errors()).as("fixture errors").isEmpty();
    return r.resources();
  }

  static Translator.Translation translate(String... yaml) {
    return Translator.translateAll(resources(yaml), OPTIONS);
  }

  static Listener listener(ProxySnapshot s, String name) {
    return s.listeners().stream().filter(l -> l.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no listener " + name + " in " + s.listeners().stream().map(Listener::getName).toList()));
  }

  static Cluster cluster(ProxySnapshot s, String name) {
    return s.clusters().stream().filter(c -> c.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no cluster " + name + " in " + s.clusters().stream().map(Cluster::getName).toList()));
  }

  static ClusterLoadAssignment endpoints(ProxySnapshot s, String name) {
    return s.endpoints().stream().filter(c -> c.getClusterName().equals(name)).findFirst().orElseThrow();
  }

  static VirtualHost vhost(ProxySnapshot s, String name) {
    RouteConfiguration rc = s.routes().stream().filter(r -> r.getName().equals(Outbound.ROUTE_NAME)).findFirst().orElseThrow();
    return rc.getVirtualHostsList().stream().filter(v -> v.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no vhost " + name));
  }

  static List<String> clusterNames(ProxySnapshot s) {
    return s.clusters().stream().map(Cluster::getName).toList();
  }
}
