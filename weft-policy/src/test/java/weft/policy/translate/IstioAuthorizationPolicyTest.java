package weft.policy.translate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import weft.policy.engine.Verdict;
import weft.policy.model.Dialect;

/**
 * istio.io/latest/docs/reference/config/security/authorization-policy/ and
 * istio.io/latest/docs/concepts/security/#authorization, section by section.
 */
class IstioAuthorizationPolicyTest {

  static String ap(String name, String spec) {
    return "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: " + name
        + ", namespace: default}\nspec:\n  selector: {matchLabels: {app: jobs-api}}\n" + spec.indent(2);
  }

  static final String ALLOW_NOTHING = "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: allow-nothing, namespace: default}\nspec: {}\n";
  static final String ALLOW_ALL = ap("allow-all", "rules: [{}]\n");
  static final String PATHS = ap("paths", """
      rules:
      - to:
        - operation: {methods: [GET], paths: ["/jobs/*", "*.json", /exact], notPaths: [/jobs/secret]}
      """);
  static final String PRINCIPALS = ap("principals", """
      rules:
      - from: [{source: {principals: [cluster.local/ns/default/sa/tweet]}}]
      """);
  static final String NAMESPACES = ap("namespaces", """
      rules:
      - from: [{source: {namespaces: [default]}}]
      """);
  static final String NOT_PRINCIPALS = ap("deny-unauthenticated", """
      action: DENY
      rules:
      - from: [{source: {notPrincipals: ["*"]}}]
      """);
  static final String DENY_OVER_ALLOW = ALLOW_ALL + "---\n" + ap("deny-delete", """
      action: DENY
      rules:
      - to: [{operation: {methods: [DELETE]}}]
      """);
  static final String MESH_WIDE = """
      apiVersion: security.istio.io/v1
      kind: AuthorizationPolicy
      metadata: {name: mesh-deny-spy, namespace: istio-system}
      spec:
        action: DENY
        rules:
        - from: [{source: {namespaces: [other]}}]
      """;
  static final String TCP_ALLOW_HTTP_FIELDS = ap("methods-on-tcp", """
      rules:
      - to: [{operation: {methods: [GET], ports: ["80"]}}]
      """);
  static final String TCP_DENY_HTTP_FIELDS = ALLOW_ALL + "---\n" + ap("deny-get-on-tcp", """
      action: DENY
      rules:
      - to: [{operation: {methods: [GET], ports: ["5432"]}}]
      """);
  static final String AUDIT = ap("audit", """
      action: AUDIT
      rules: [{}]
      """);
  static final String REMOTE_IP = ap("remote-ip", """
      rules:
      - from: [{source: {remoteIpBlocks: [203.0.113.0/24]}}]
      """);
  static final String IP_BLOCKS = ap("ip-blocks", """
      rules:
      - from: [{source: {ipBlocks: [10.0.0.0/24], notIpBlocks: [10.0.0.3]}}]
      """);
  static final String WHEN_HEADER = ap("when-header", """
      rules:
      - when:
        - {key: "request.headers[x-team]", values: [hiring]}
      """);
  static final String HOSTS = ap("hosts", """
      rules:
      - to: [{operation: {hosts: [jobs.example.com]}}]
      """);
  static final String STRICT = """
      apiVersion: security.istio.io/v1
      kind: PeerAuthentication
      metadata: {name: default, namespace: istio-system}
      spec: {mtls: {mode: STRICT}}
      ---
      apiVersion: security.istio.io/v1
      kind: PeerAuthentication
      metadata: {name: jobs-metrics, namespace: default}
      spec:
        selector: {matchLabels: {app: jobs-api}}
        portLevelMtls: {"9090": {mode: PERMISSIVE}}
      """;

  static Stream<Arguments> rows() {
    return Stream.of(
        Arguments.of("allow-nothing: an ALLOW policy without rules denies all", ALLOW_NOTHING, "default/tweet default/jobs-api 80", false),
        Arguments.of("allow-all: rules [{}] matches everything", ALLOW_ALL, "203.0.113.7 default/jobs-api 80", true),
        Arguments.of("paths: prefix", PATHS, "default/tweet default/jobs-api 80 GET /jobs/1", true),
        Arguments.of("paths: suffix", PATHS, "default/tweet default/jobs-api 80 GET /a/b.json", true),
        Arguments.of("paths: exact", PATHS, "default/tweet default/jobs-api 80 GET /exact", true),
        Arguments.of("paths: exact is not prefix", PATHS, "default/tweet default/jobs-api 80 GET /exact/more", false),
        Arguments.of("paths: query string is ignored", PATHS, "default/tweet default/jobs-api 80 GET /exact?x=1", true),
        Arguments.of("notPaths: excludes", PATHS, "default/tweet default/jobs-api 80 GET /jobs/secret", false),
        Arguments.of("methods: AND with paths", PATHS, "default/tweet default/jobs-api 80 POST /jobs/1", false),
        Arguments.of("principals: the mTLS identity", PRINCIPALS, "default/tweet default/jobs-api 80", true),
        Arguments.of("principals: another identity", PRINCIPALS, "default/recruiter default/jobs-api 80", false),
        Arguments.of("principals: plaintext has no principal", PRINCIPALS, "default/tweet default/jobs-api 80 plain", false),
        Arguments.of("principals: an explicit principal", PRINCIPALS, "203.0.113.7 default/jobs-api 80 principal=spiffe://cluster.local/ns/default/sa/tweet", true),
        Arguments.of("namespaces: from the peer identity", NAMESPACES, "default/recruiter default/jobs-api 80", true),
        Arguments.of("namespaces: other namespace", NAMESPACES, "other/spy default/jobs-api 80", false),
        Arguments.of("notPrincipals *: DENY plaintext", NOT_PRINCIPALS, "default/tweet default/jobs-api 80 plain", false),
        Arguments.of("notPrincipals *: mTLS passes", NOT_PRINCIPALS, "default/tweet default/jobs-api 80", true),
        Arguments.of("precedence: DENY before ALLOW", DENY_OVER_ALLOW, "default/tweet default/jobs-api 80 DELETE /jobs/1", false),
        Arguments.of("precedence: ALLOW when no DENY matches", DENY_OVER_ALLOW, "default/tweet default/jobs-api 80 GET /jobs/1", true),
        Arguments.of("root namespace: applies mesh-wide", MESH_WIDE, "other/spy default/jobs-api 80", false),
        Arguments.of("root namespace: others unaffected", MESH_WIDE, "default/tweet default/recruiter 80", true),
        Arguments.of("TCP: ALLOW rule with HTTP-only fields never matches", TCP_ALLOW_HTTP_FIELDS, "default/tweet default/jobs-api 80", false),
        Arguments.of("TCP: same rule matches HTTP", TCP_ALLOW_HTTP_FIELDS, "default/tweet default/jobs-api 80 GET /", true),
        Arguments.of("TCP: DENY rule ignores HTTP-only fields", TCP_DENY_HTTP_FIELDS, "default/tweet default/jobs-api 5432", false),
        Arguments.of("TCP: DENY rule keeps its port", TCP_DENY_HTTP_FIELDS, "default/tweet default/jobs-api 5433", true),
        Arguments.of("AUDIT: never changes a verdict", AUDIT, "default/tweet default/jobs-api 80", true),
        Arguments.of("remoteIpBlocks: X-Forwarded-For client", REMOTE_IP, "default/tweet default/jobs-api 80 remote=203.0.113.9", true),
        Arguments.of("remoteIpBlocks: defaults to the source", REMOTE_IP, "default/tweet default/jobs-api 80", false),
        Arguments.of("ipBlocks: source address", IP_BLOCKS, "default/tweet default/jobs-api 80", true),
        Arguments.of("notIpBlocks: bare address", IP_BLOCKS, "default/recruiter default/jobs-api 80", false),
        Arguments.of("when: request.headers", WHEN_HEADER, "default/tweet default/jobs-api 80 GET / h:x-team=hiring", true),
        Arguments.of("when: request.headers absent", WHEN_HEADER, "default/tweet default/jobs-api 80 GET /", false),
        Arguments.of("hosts: case-insensitive", HOSTS, "default/tweet default/jobs-api 80 GET / host=Jobs.Example.COM", true),
        Arguments.of("PeerAuthentication STRICT: plaintext refused", STRICT, "203.0.113.7 default/jobs-api 80", false),
        Arguments.of("PeerAuthentication STRICT: mTLS accepted", STRICT, "default/tweet default/jobs-api 80", true),
        Arguments.of("PeerAuthentication portLevelMtls: PERMISSIVE port", STRICT, "203.0.113.7 default/jobs-api 9090", true),
        Arguments.of("Istio does not intercept UDP", ALLOW_NOTHING, "default/tweet default/jobs-api 53 udp", true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void followsTheIstioDocs(String doc, String policy, String flow, boolean allow) {
    Verdict v = Scenario.engine(policy).evaluate(Scenario.flow(flow));
    assertThat(v.dialect(Dialect.ISTIO).allowed()).as(v.toString()).isEqualTo(allow);
  }
}
