package weft.api.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import weft.api.Kind;
import weft.api.Namespace;
import weft.api.Node;
import weft.api.Service;
import weft.api.Workload;
import weft.api.inventory.Locality;
import weft.api.inventory.ServicePort;
import weft.api.inventory.WorkloadPort;
import weft.api.meta.Cidr;
import weft.api.meta.PortRef;
import weft.api.meta.Protocol;

class InventoryDecodeTest {

  @Test
  void workloadWithEveryField() {
    Workload w =
        Docs.single(
            """
            apiVersion: weft.dev/v1alpha1
            kind: Workload
            metadata:
              name: jobs-api-1
              namespace: jobs
              labels: {app: jobs-api, version: v1}
            spec:
              serviceAccount: jobs-api
              addresses: [127.0.1.2, "::1"]
              ports:
              - {name: http, port: 8080, appProtocol: http}
              - {port: 9000, protocol: UDP}
              cluster: east
              locality: {region: eu-west-1, zone: eu-west-1a}
              node: node-1
            """,
            Workload.class);
    assertThat(w.key().toString()).isEqualTo("Workload jobs/jobs-api-1");
    assertThat(w.metadata().labels()).containsEntry("app", "jobs-api");
    assertThat(w.serviceAccount()).isEqualTo("jobs-api");
    assertThat(w.addresses()).containsExactly(Cidr.parseAddress("127.0.1.2"), Cidr.parseAddress("::1"));
    assertThat(w.ports())
        .containsExactly(
            new WorkloadPort(Optional.of("http"), 8080, Protocol.TCP, Optional.of("http")),
            new WorkloadPort(Optional.empty(), 9000, Protocol.UDP, Optional.empty()));
    assertThat(w.cluster()).contains("east");
    assertThat(w.locality()).contains(new Locality("eu-west-1", "eu-west-1a"));
    assertThat(w.node()).contains("node-1");
    assertThat(w.port("http")).isPresent();
  }

  @Test
  void workloadDefaultsNamespaceAndServiceAccountAsKubernetes() {
    Workload w =
        Docs.single(
            """
            apiVersion: weft.dev/v1alpha1
            kind: Workload
            metadata: {name: tweet}
            """,
            Workload.class);
    assertThat(w.metadata().namespace()).isEqualTo("default");
    assertThat(w.serviceAccount()).isEqualTo("default");
    assertThat(w.ports()).isEmpty();
  }

  @Test
  void equalDocumentsDecodeToEqualRecords() {
    String yaml =
        """
        apiVersion: weft.dev/v1alpha1
        kind: Workload
        metadata: {name: a, labels: {x: "1", y: "2"}}
        spec: {addresses: [10.0.0.1], ports: [{name: http, port: 80}]}
        """;
    String reordered =
        """
        kind: Workload
        apiVersion: weft.dev/v1alpha1
        spec: {ports: [{port: 80, name: http}], addresses: [10.0.0.1]}
        metadata: {labels: {y: "2", x: "1"}, name: a}
        """;
    assertThat(Docs.single(yaml, Workload.class)).isEqualTo(Docs.single(reordered, Workload.class));
  }

  @Test
  void nodeIsClusterScopedWithLabelsAndAddresses() {
    Node n =
        Docs.single(
            """
            apiVersion: weft.dev/v1alpha1
            kind: Node
            metadata: {name: node-1, labels: {zone: a}}
            spec: {addresses: [192.168.0.10]}
            """,
            Node.class);
    assertThat(n.key().toString()).isEqualTo("Node node-1");
    assertThat(n.addresses()).containsExactly(Cidr.parseAddress("192.168.0.10"));
  }

  @Test
  void namespaceGetsTheAutomaticMetadataNameLabel() {
    // Kubernetes "Automatic labelling": kubernetes.io/metadata.name is set to the namespace name.
    Namespace ns =
        Docs.single(
            """
            apiVersion: v1
            kind: Namespace
            metadata: {name: jobs, labels: {team: hiring}}
            """,
            Namespace.class);
    assertThat(ns.metadata().labels())
        .isEqualTo(Map.of("team", "hiring", "kubernetes.io/metadata.name", "jobs"));
  }

  @Test
  void serviceTargetPortDefaultsToPortAndMayBeNamed() {
    Service s =
        Docs.single(
            """
            apiVersion: v1
            kind: Service
            metadata: {name: jobs-api, namespace: jobs}
            spec:
              type: ClusterIP
              clusterIP: 10.96.0.10
              selector: {app: jobs-api}
              ports:
              - {name: http, port: 80, targetPort: http}
              - {name: metrics, port: 9090}
            """,
            Service.class);
    assertThat(s.kind()).isEqualTo(Kind.SERVICE);
    assertThat(s.selector()).isEqualTo(Map.of("app", "jobs-api"));
    assertThat(s.ports())
        .containsExactly(
            new ServicePort(Optional.of("http"), 80, PortRef.of("http"), Protocol.TCP, Optional.empty()),
            new ServicePort(Optional.of("metrics"), 9090, PortRef.of(9090), Protocol.TCP, Optional.empty()));
  }

  @Test
  void weftServiceIsItsOwnKind() {
    Service s =
        Docs.single(
            """
            apiVersion: weft.dev/v1alpha1
            kind: Service
            metadata: {name: jobs-api}
            spec: {selector: {app: jobs-api}, ports: [{port: 80, targetPort: 8080}]}
            """,
            Service.class);
    assertThat(s.kind()).isEqualTo(Kind.MESH_SERVICE);
    assertThat(s.ports().get(0).targetPort()).isEqualTo(PortRef.of(8080));
  }

  static Stream<Arguments> invalidDocuments() {
    String workload = "apiVersion: weft.dev/v1alpha1\nkind: Workload\nmetadata: {name: w}\n";
    return Stream.of(
        Arguments.of(
            "port must be a number",
            workload + "spec: {ports: [{port: abc}]}",
            List.of("test.yaml[0]: Workload default/w: spec.ports[0].port: expected an integer 1..65535, got \"abc\"")),
        Arguments.of(
            "port out of range",
            workload + "spec: {ports: [{port: 70000}]}",
            List.of("test.yaml[0]: Workload default/w: spec.ports[0].port: expected an integer 1..65535, got 70000")),
        Arguments.of(
            "address must be an IP literal",
            workload + "spec: {addresses: [jobs.example.com]}",
            List.of("test.yaml[0]: Workload default/w: spec.addresses[0]: invalid IP address \"jobs.example.com\"")),
        Arguments.of(
            "unknown field names its path and a close match",
            workload + "spec: {serviceaccount: x}",
            List.of("test.yaml[0]: Workload default/w: spec.serviceaccount: unknown field (did you mean serviceAccount?)")),
        Arguments.of(
            "unknown top-level field",
            workload + "extra: 1",
            List.of("test.yaml[0]: Workload default/w: extra: unknown field (expected one of: apiVersion, kind, metadata, spec)")),
        Arguments.of(
            "unknown metadata field lists only the fields weft reads",
            "apiVersion: weft.dev/v1alpha1\nkind: Workload\nmetadata: {name: w, tags: [a]}\n",
            List.of("test.yaml[0]: Workload default/w: metadata.tags: unknown field (expected one of: name, namespace, labels, annotations)")),
        Arguments.of(
            "server-populated metadata and status are accepted",
            "apiVersion: weft.dev/v1alpha1\nkind: Workload\nmetadata: {name: w, uid: x, resourceVersion: \"1\"}\nstatus: {phase: Running}\nspec: {oops: 1}\n",
            List.of("test.yaml[0]: Workload default/w: spec.oops: unknown field (expected one of: serviceAccount, addresses, ports, cluster, locality, node, app, proxy)")),
        Arguments.of(
            "node is a name",
            workload + "spec: {node: Node_1}",
            List.of(
                "test.yaml[0]: Workload default/w: spec.node: invalid name \"Node_1\" (expected: at most 253 lower-case letters, digits, '-' and '.', starting and ending with a letter or digit)")),
        Arguments.of(
            "duplicate port names",
            workload + "spec: {ports: [{name: http, port: 80}, {name: http, port: 81}]}",
            List.of("test.yaml[0]: Workload default/w: spec.ports[1].name: duplicate port name \"http\"")),
        Arguments.of(
            "invalid label value",
            "apiVersion: weft.dev/v1alpha1\nkind: Workload\nmetadata: {name: w, labels: {app: \"a b\"}}\n",
            List.of(
                "test.yaml[0]: Workload default/w: metadata.labels.app: invalid label value \"a b\" (expected: empty or at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit)")),
        Arguments.of(
            "label value must be a string",
            "apiVersion: weft.dev/v1alpha1\nkind: Workload\nmetadata: {name: w, labels: {version: 2}}\n",
            List.of("test.yaml[0]: Workload default/w: metadata.labels.version: expected a string, got 2 (quote it: YAML reads unquoted numbers as numbers)")),
        Arguments.of(
            "name is required",
            "apiVersion: weft.dev/v1alpha1\nkind: Workload\nmetadata: {namespace: x}\n",
            List.of("test.yaml[0]: Workload: metadata.name: required")),
        Arguments.of(
            "namespace name rules",
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: Jobs}\n",
            List.of(
                "test.yaml[0]: Namespace Jobs: metadata.name: invalid name \"Jobs\" (expected: at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit)")),
        Arguments.of(
            "cluster-scoped kinds take no namespace",
            "apiVersion: weft.dev/v1alpha1\nkind: Node\nmetadata: {name: n, namespace: x}\n",
            List.of("test.yaml[0]: Node n: metadata.namespace: Node is cluster-scoped: remove namespace")),
        Arguments.of(
            "metadata.name label must agree",
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: a, labels: {kubernetes.io/metadata.name: b}}\n",
            List.of(
                "test.yaml[0]: Namespace a: metadata.labels[\"kubernetes.io/metadata.name\"]: is set by Kubernetes to the namespace name \"a\", got \"b\"")),
        Arguments.of(
            "multi-port services need port names",
            "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 80}, {name: b, port: 81}]}\n",
            List.of("test.yaml[0]: Service default/s: spec.ports[0].name: required when a Service has more than one port")),
        Arguments.of(
            "targetPort given as a quoted number",
            "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 80, targetPort: \"8080\"}]}\n",
            List.of(
                "test.yaml[0]: Service default/s: spec.ports[0].targetPort: expected a port number or a port name, got \"8080\" (write the number without quotes)")),
        Arguments.of(
            "unknown kind",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n",
            List.of(
                "test.yaml[0]: unsupported kind \"Pod\" (apiVersion \"v1\"; weft reads Workload, Node, Service, Namespace, NetworkPolicy, CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy, AuthorizationPolicy, PeerAuthentication, VirtualService, DestinationRule, Sidecar, List)")),
        Arguments.of(
            "known kind, wrong apiVersion",
            "apiVersion: networking.k8s.io/v1beta1\nkind: NetworkPolicy\nmetadata: {name: p}\n",
            List.of(
                "test.yaml[0]: apiVersion \"networking.k8s.io/v1beta1\" is not supported for NetworkPolicy (expected: networking.k8s.io/v1)")),
        Arguments.of(
            "kind spelt with the wrong case",
            "apiVersion: cilium.io/v2\nkind: CiliumNetworkpolicy\nmetadata: {name: p}\n",
            List.of("test.yaml[0]: unsupported kind \"CiliumNetworkpolicy\" (did you mean CiliumNetworkPolicy?)")),
        Arguments.of(
            "kind is required",
            "apiVersion: v1\nmetadata: {name: p}\n",
            List.of("test.yaml[0]: kind: required")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidDocuments")
  void invalidDocumentsAreRefusedWithFileKindNameAndPath(String rule, String yaml, List<String> errors) {
    assertThat(Docs.errors(yaml)).containsExactlyElementsOf(errors);
  }
}
