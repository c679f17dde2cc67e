package weft.controlplane.store;

/** Small resource documents for store tests. */
final class Docs {
  private Docs() {}

  static String workload(String name, String address) {
    return """
        apiVersion: weft.dev/v1alpha1
        kind: Workload
        metadata: {name: %s, namespace: default, labels: {app: %s}}
        spec:
          addresses: [%s]
          ports: [{name: http, port: 80}]
        """.formatted(name, name, address);
  }

  static String broken(String name) {
    return """
        apiVersion: weft.dev/v1alpha1
        kind: Workload
        metadata: {name: %s, namespace: default}
        spec:
          adresses: [127.0.0.1]
        """.formatted(name);
  }
}
