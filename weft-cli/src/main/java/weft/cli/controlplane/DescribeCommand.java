package weft.cli.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft describe workload NS/NAME}: identity, policies, proxy and certificate of one workload. */
@Command(
    mixinStandardHelpOptions = true,
    name = "describe",
    description = "Show one workload in detail: identity, SPIFFE ID, the policies selecting it, its proxy's config version and certificate expiry.",
    footer = {"", "Example:", "  weft describe workload default/jobs-api"})
public final class DescribeCommand implements Callable<Integer> {
  enum What { workload }

  @Spec CommandSpec spec;
  @Mixin ServerOption server;

  @Parameters(index = "0", paramLabel = "KIND", description = "workload")
  What what;

  @Parameters(index = "1", paramLabel = "NS/NAME", description = "The workload's namespace and name.")
  String name;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    String[] parts = name.split("/", -1);
    if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      spec.commandLine().getErr().println("error: " + name + ": expected NAMESPACE/NAME, e.g. default/jobs-api");
      return 2;
    }
    JsonNode w;
    try {
      w = server.client().get("workloads/" + parts[0] + "/" + parts[1]);
    } catch (ApiClient.ApiError e) {
      return ApiClient.report(spec.commandLine().getErr(), e);
    }
    line(out, "Name", w.path("name").asText());
    line(out, "Namespace", w.path("namespace").asText());
    line(out, "Labels", GetCommand.versions(w.path("labels")));
    line(out, "Service account", w.path("serviceAccount").asText());
    line(out, "SPIFFE ID", w.path("spiffeId").asText());
    line(out, "Identity", w.path("identity").asText());
    line(out, "Addresses", GetCommand.join(w.path("addresses"), JsonNode::asText));
    line(out, "Ports", GetCommand.join(w.path("ports"), GetCommand::port));
    line(out, "mTLS mode", w.path("mtlsMode").asText());
    line(out, "Source", w.path("source").asText());
    out.println("Policies:");
    if (w.path("policies").isEmpty()) {
      out.println("  <none>");
    }
    w.path("policies").forEach(p -> out.println("  " + p.asText()));
    JsonNode proxy = w.path("proxy");
    out.println("Proxy:");
    if (proxy.isNull() || proxy.isMissingNode()) {
      out.println("  not connected yet");
    } else {
      line(out, "  Connected", proxy.path("connected").asBoolean() ? "yes" : "no");
      line(out, "  Config version", proxy.path("configVersion").asText() + " (" + GetCommand.versions(proxy.path("ackedVersions")) + ")");
      line(out, "  In sync", proxy.path("inSync").asBoolean() ? "yes" : "no");
      String nack = GetCommand.nack(proxy.path("lastNack"));
      line(out, "  Last NACK", nack.isEmpty() ? "<none>" : nack);
    }
    JsonNode expiry = w.path("certificateExpiry");
    line(out, "Certificate expiry", expiry.isNull() || expiry.isMissingNode() ? "<not issued yet>" : expiry.asText());
    out.flush();
    return 0;
  }

  private static void line(PrintWriter out, String key, String value) {
    String label = key + ":";
    out.println(label + " ".repeat(Math.max(1, 21 - label.length())) + (value.isEmpty() ? "<none>" : value));
  }
}
