package weft.cli.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code weft flows}: the flow records proxies report to the control plane, one line per flow as
 * Hubble's {@code observe} prints them, or the API's JSON lines.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "flows",
    description = {"Show flows: every connection and HTTP request the proxies saw, with source and destination"
        + " (workload, identity), verdict (FORWARDED, DENIED, ERROR) and the policy rule that decided."},
    footer = {"", "Each request shows twice: at the source's sidecar (egress) and at the",
        "destination's (ingress), where policy is enforced.", "",
        "Examples:",
        "  weft flows                               the flows the control plane holds",
        "  weft flows --follow                      and keep printing new ones",
        "  weft flows --verdict denied --since 5m   what policy denied lately",
        "  weft flows --from default/tweet --to default/jobs-api",
        "  weft flows -o json | jq .policy          JSON lines, one per flow"})
public final class FlowsCommand implements Callable<Integer> {
  enum Format { text, json }

  enum Color { auto, always, never }

  private static final Pattern SINCE = Pattern.compile("[0-9]{1,9}(s|m|h)");
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?(/[a-z0-9]([-a-z0-9.]*[a-z0-9])?)?");

  @Spec CommandSpec spec;
  @Mixin ServerOption server;

  @Option(names = {"-f", "--follow"}, description = "Keep printing new flows as they arrive (Ctrl-C stops).")
  boolean follow;

  @Option(names = "--from", paramLabel = "NS/NAME", description = "Only flows from this workload (or NS: namespace).")
  String from;

  @Option(names = "--to", paramLabel = "NS/NAME", description = "Only flows to this workload or service (or NS: namespace).")
  String to;

  @Option(names = "--verdict", paramLabel = "VERDICT", description = "Only forwarded, denied or error flows.")
  String verdict;

  @Option(names = "--since", paramLabel = "DURATION", description = "Only flows of the last DURATION: 30s, 5m, 2h.")
  String since;

  @Option(names = "--last", paramLabel = "N", description = "Only the newest N flows of the history.")
  Integer last;

  @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "FORMAT",
      description = "text (default: one aligned line per flow) or json (the API's JSON lines).")
  Format format;

  @Option(names = "--color", defaultValue = "auto", paramLabel = "WHEN",
      description = "Colour verdicts: auto (default: when printing to a terminal), always or never.")
  Color color;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String query;
    try {
      query = query();
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return 2;
    }
    boolean colour = color == Color.always || (color == Color.auto && System.console() != null);
    FlowLine render = new FlowLine(ZoneId.systemDefault(), colour);
    try {
      if (format == Format.json || follow) {
        // line by line as the API sends them: JSON as it is, text in columns widened as needed
        server.client().lines("flows" + query, line -> {
          out.println(format == Format.json ? line : render.line(ApiClient.JSON.readTree(line)));
          out.flush();
          return !out.checkError();
        });
      } else {
        // the whole history at once: columns aligned to its widest values
        List<JsonNode> flows = new ArrayList<>();
        server.client().lines("flows" + query, line -> flows.add(ApiClient.JSON.readTree(line)));
        flows.forEach(render::fit);
        if (flows.isEmpty()) {
          err.println("no flows" + (query.isEmpty() ? " yet: send some traffic through the proxies" : " match"));
          err.flush();
        }
        for (JsonNode f : flows) {
          out.println(render.line(f));
        }
        out.flush();
      }
    } catch (ApiClient.ApiError e) {
      return ApiClient.report(err, e);
    }
    return 0;
  }

  /** The API query for the options, checked here so that mistakes read as the CLI's options. */
  String query() {
    List<String> params = new ArrayList<>();
    if (since != null) {
      if (!SINCE.matcher(since).matches()) {
        throw new IllegalArgumentException("--since " + since + " (expected: a number with s, m or h, e.g. 30s, 5m, 2h)");
      }
      params.add("since=" + since);
    }
    if (from != null) {
      params.add("from=" + encode(name("--from", from)));
    }
    if (to != null) {
      params.add("to=" + encode(name("--to", to)));
    }
    if (verdict != null) {
      String v = verdict.toLowerCase(java.util.Locale.ROOT);
      if (!List.of("forwarded", "denied", "error").contains(v)) {
        throw new IllegalArgumentException("--verdict " + verdict + " (expected: forwarded, denied or error)");
      }
      params.add("verdict=" + v);
    }
    if (last != null) {
      if (last < 1) {
        throw new IllegalArgumentException("--last " + last + " (expected: at least 1)");
      }
      params.add("limit=" + last);
    }
    if (follow) {
      params.add("follow=true");
    }
    return params.isEmpty() ? "" : "?" + String.join("&", params);
  }

  private static String name(String option, String value) {
    if (!NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(option + " " + value + " (expected: NAMESPACE/NAME, e.g. default/tweet, or NAMESPACE)");
    }
    return value;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

}
