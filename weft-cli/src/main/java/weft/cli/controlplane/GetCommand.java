package weft.cli.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft get workloads|services|policies|proxies|status}: tables, or the API's JSON/YAML. */
@Command(
    mixinStandardHelpOptions = true,
    name = "get",
    description = "List what the control plane holds: workloads, services, policies, proxies, or its status.",
    footer = {"", "Examples:", "  weft get workloads", "  weft get proxies -o json", "  weft get status --server http://10.0.0.5:15000"})
public final class GetCommand implements Callable<Integer> {
  enum What { workloads, services, policies, proxies, status }

  enum Format { table, json, yaml }

  @Spec CommandSpec spec;
  @Mixin ServerOption server;

  @Parameters(paramLabel = "WHAT", converter = WhatConverter.class,
      description = "workloads, services, policies, proxies or status (singular and svc also work).")
  What what;

  /** kubectl accepts singular and short names; so do we. */
  static final class WhatConverter implements picocli.CommandLine.ITypeConverter<What> {
    @Override
    public What convert(String value) {
      return switch (value.toLowerCase(java.util.Locale.ROOT)) {
        case "workloads", "workload", "wl" -> What.workloads;
        case "services", "service", "svc" -> What.services;
        case "policies", "policy", "pol" -> What.policies;
        case "proxies", "proxy" -> What.proxies;
        case "status" -> What.status;
        default -> throw new picocli.CommandLine.TypeConversionException(
            "'" + value + "' (expected: workloads, services, policies, proxies or status)");
      };
    }
  }

  @Option(names = {"-o", "--output"}, defaultValue = "table", paramLabel = "FORMAT",
      description = "table (default), json or yaml.")
  Format format;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    JsonNode body;
    try {
      body = server.client().get(what.name());
    } catch (ApiClient.ApiError e) {
      return ApiClient.report(spec.commandLine().getErr(), e);
    }
    try {
      switch (format) {
        case json -> out.println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body));
        case yaml -> out.print(new YAMLMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS).writeValueAsString(body));
        case table -> table(body, out);
      }
    } catch (java.io.IOException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return 1;
    }
    out.flush();
    return 0;
  }

  private void table(JsonNode body, PrintWriter out) {
    switch (what) {
      case workloads -> {
        Table t = new Table("NAMESPACE", "NAME", "ADDRESSES", "PORTS", "SPIFFE ID");
        body.forEach(w -> t.row(w.path("namespace").asText(), w.path("name").asText(),
            join(w.path("addresses"), JsonNode::asText), join(w.path("ports"), GetCommand::port), w.path("spiffeId").asText()));
        t.print(out);
      }
      case services -> {
        Table t = new Table("NAMESPACE", "NAME", "PORTS", "ENDPOINTS");
        body.forEach(s -> t.row(s.path("namespace").asText(), s.path("name").asText(),
            join(s.path("ports"), p -> p.path("port").asText() + "->" + p.path("targetPort").asText()),
            join(s.path("endpoints"), e -> e.path("address").asText() + ":" + e.path("port").asText())));
        t.print(out);
      }
      case policies -> {
        Table t = new Table("KIND", "NAMESPACE", "NAME", "SELECTS", "SOURCE");
        body.forEach(p -> t.row(p.path("kind").asText(), p.path("namespace").asText(), p.path("name").asText(),
            join(p.path("selects"), JsonNode::asText), p.path("source").asText()));
        t.print(out);
      }
      case proxies -> {
        Table t = new Table("NODE", "CONNECTED", "IN SYNC", "CONFIG VERSION", "LAST NACK");
        body.forEach(p -> t.row(p.path("node").asText(), p.path("connected").asBoolean() ? "yes" : "no",
            p.path("inSync").asBoolean() ? "yes" : "no", p.path("configVersion").asText(), nack(p.path("lastNack"))));
        t.print(out);
      }
      case status -> status(body, out);
    }
  }

  static void status(JsonNode s, PrintWriter out) {
    JsonNode p = s.path("proxies");
    out.println("revision:     " + s.path("revision").asText());
    out.println("resources:    " + s.path("resources").asText());
    out.println("xds version:  " + s.path("xdsVersion").asText());
    out.println("proxies:      " + p.path("total").asText() + " (" + p.path("connected").asText() + " connected, "
        + p.path("inSync").asText() + " in sync, " + p.path("rejecting").asText() + " rejecting)");
    Table t = new Table("SOURCE", "STATUS", "LAST GOOD REVISION");
    List<String> errors = new ArrayList<>();
    s.path("sources").forEach(src -> {
      boolean ok = src.path("ok").asBoolean();
      t.row(src.path("source").asText(), ok ? "ok" : "error", src.path("lastGoodRevision").asText());
      src.path("errors").forEach(e -> errors.add(e.asText()));
    });
    out.println();
    t.print(out);
    if (!errors.isEmpty()) {
      out.println();
      out.println("errors (the last good version of each source stays in force):");
      errors.forEach(e -> out.println("  " + e));
    }
    problems(out, "policy problems (not enforced):", s.path("policyProblems"));
    problems(out, "translation problems (not in proxy configuration):", s.path("translationProblems"));
  }

  private static void problems(PrintWriter out, String title, JsonNode list) {
    if (!list.isEmpty()) {
      out.println();
      out.println(title);
      list.forEach(e -> out.println("  " + e.asText()));
    }
  }

  static String port(JsonNode p) {
    return (p.hasNonNull("name") ? p.get("name").asText() + ":" : "") + p.path("port").asText();
  }

  static String versions(JsonNode byType) {
    List<String> out = new ArrayList<>();
    byType.properties().forEach(e -> out.add(e.getKey() + "=" + e.getValue().asText()));
    return String.join(",", out);
  }

  static String nack(JsonNode n) {
    return n.isNull() || n.isMissingNode() ? "" : n.path("type").asText() + " v" + n.path("version").asText() + ": " + n.path("message").asText();
  }

  static String join(JsonNode array, java.util.function.Function<JsonNode, String> f) {
    List<String> parts = new ArrayList<>();
    array.forEach(n -> parts.add(f.apply(n)));
    return String.join(",", parts);
  }
}
