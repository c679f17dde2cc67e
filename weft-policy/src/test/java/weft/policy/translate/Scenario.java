package weft.policy.translate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import weft.api.load.LoadResult;
import weft.api.load.ResourceLoader;
import weft.policy.engine.EngineOptions;
import weft.policy.engine.Flow;
import weft.policy.engine.PolicyEngine;
import weft.policy.engine.Endpoint;
import weft.policy.model.HttpRequest;
import weft.policy.model.IpAddress;
import weft.policy.model.KafkaApiKeys;
import weft.policy.model.KafkaRequest;
import weft.policy.model.Protocol;

/**
 * A small mesh written in YAML plus the policies under test: default/{tweet, jobs-api, recruiter,
 * kafka} and other/spy on node-1/node-2. Flows are written {@code "SRC DST PORT [options]"}.
 */
public final class Scenario {
  static final String INVENTORY = """
      apiVersion: v1
      kind: Namespace
      metadata: {name: default, labels: {team: jobs}}
      ---
      apiVersion: v1
      kind: Namespace
      metadata: {name: other, labels: {team: other}}
      ---
      apiVersion: weft.dev/v1alpha1
      kind: Node
      metadata: {name: node-1}
      spec: {addresses: [192.168.0.1]}
      ---
      apiVersion: weft.dev/v1alpha1
      kind: Node
      metadata: {name: node-2}
      spec: {addresses: [192.168.0.2]}
      ---
      apiVersion: weft.dev/v1alpha1
      kind: Workload
      metadata: {name: tweet, namespace: default, labels: {app: tweet}}
      spec: {serviceAccount: tweet, addresses: [10.0.0.1], node: node-1}
      ---
      apiVersion: weft.dev/v1alpha1
      kind: Workload
      metadata: {name: jobs-api, namespace: default, labels: {app: jobs-api}}
      spec:
        serviceAccount: jobs-api
        addresses: [10.0.0.2]
        node: node-1
        ports: [{name: http, port: 80, protocol: TCP}]
      ---
      apiVersion: weft.dev/v1alpha1
      kind: Workload
      metadata: {name: recruiter, namespace: default, labels: {app: recruiter}}
      spec: {serviceAccount: recruiter, addresses: [10.0.0.3], node: node-2}
      ---
      apiVersion: weft.dev/v1alpha1
      kind: Workload
      metadata: {name: kafka, namespace: default, labels: {app: kafka}}
      spec:
        serviceAccount: kafka
        addresses: [10.0.0.4]
        node: node-2
        ports: [{name: kafka, port: 9092, protocol: TCP}]
      ---
      apiVersion: weft.dev/v1alpha1
      kind: Workload
      metadata: {name: spy, namespace: other, labels: {app: spy}}
      spec: {serviceAccount: spy, addresses: [10.0.1.1], node: node-2}
      """;

  private Scenario() {}

  public static PolicyEngine engine(String policies) {
    LoadResult r = ResourceLoader.parse("test.yaml", INVENTORY + "---\n" + policies);
    assertThat(r.errors()).as("load errors").isEmpty();
    PolicyTranslator.Translation t = PolicyTranslator.translate(r.resources());
    assertThat(t.problems()).as("translation problems").isEmpty();
    return PolicyEngine.compile(t.inputs(), EngineOptions.DEFAULTS);
  }

  /**
   * {@code SRC DST PORT} then options: {@code udp|sctp|icmp}, {@code plain}, {@code
   * principal=ID}, {@code remote=IP}, {@code METHOD PATH}, {@code host=H}, {@code h:K=V}, {@code
   * kafka=APIKEY/TOPIC}.
   */
  public static Flow flow(String spec) {
    String[] t = spec.trim().split("\\s+");
    Flow f = Flow.tcp(Endpoint.parse(t[0]), Endpoint.parse(t[1]), Integer.parseInt(t[2]));
    String method = null;
    String path = "/";
    String host = "jobs-api";
    Map<String, String> headers = new HashMap<>();
    for (int i = 3; i < t.length; i++) {
      String o = t[i];
      if (o.equals("udp") || o.equals("sctp") || o.equals("icmp")) f = f.withProtocol(Protocol.parse(o).orElseThrow());
      else if (o.equals("plain")) f = f.withMtls(false);
      else if (o.startsWith("principal=")) f = f.withPrincipal(o.substring(10));
      else if (o.startsWith("remote=")) f = f.withRemoteIp(IpAddress.of(o.substring(7)));
      else if (o.startsWith("host=")) host = o.substring(5);
      else if (o.startsWith("h:")) headers.put(o.substring(2, o.indexOf('=')), o.substring(o.indexOf('=') + 1));
      else if (o.startsWith("kafka=")) {
        String[] k = o.substring(6).split("/");
        f = f.withKafka(new KafkaRequest(KafkaApiKeys.parse(k[0]).orElseThrow(), OptionalInt.empty(), Optional.empty(), Optional.of(k[1])));
      } else {
        method = o;
        path = t[++i];
      }
    }
    if (method != null) f = f.withHttp(new HttpRequest(method, path, host, headers));
    return f;
  }
}
