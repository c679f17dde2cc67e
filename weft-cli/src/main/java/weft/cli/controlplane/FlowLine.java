package weft.cli.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * One flow as one line, in columns as Hubble's {@code observe} prints them:
 * {@code TIME  SOURCE  ->  DESTINATION  TYPE  VERDICT  SUMMARY}. Columns grow to the widest value
 * seen so far ({@link #fit} first to align a whole list); when following, a wider value shifts the
 * lines after it. Not thread-safe.
 */
final class FlowLine {
  private static final String GREEN = "\u001b[32m";
  private static final String RED = "\u001b[31m";
  private static final String YELLOW = "\u001b[33m";
  private static final String RESET = "\u001b[0m";

  private final DateTimeFormatter time;
  private final boolean colour;
  private int source;
  private int destination;
  private int type;

  FlowLine(ZoneId zone, boolean colour) {
    this.time = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(zone);
    this.colour = colour;
  }

  /** Widens the columns for {@code flow}. */
  void fit(JsonNode flow) {
    source = Math.max(source, source(flow).length());
    destination = Math.max(destination, destination(flow).length());
    type = Math.max(type, type(flow).length());
  }

  String line(JsonNode flow) {
    fit(flow);
    String verdict = flow.path("verdict").asText();
    StringBuilder sb = new StringBuilder();
    sb.append(time.format(Instant.parse(flow.path("time").asText()))).append("  ");
    pad(sb, source(flow), source).append("  ->  ");
    pad(sb, destination(flow), destination).append("  ");
    pad(sb, type(flow), type).append("  ");
    String v = String.format("%-9s", verdict);
    if (colour) {
      String c = switch (verdict) {
        case "FORWARDED" -> GREEN;
        case "DENIED" -> RED;
        default -> YELLOW;
      };
      sb.append(c).append(v).append(RESET);
    } else {
      sb.append(v);
    }
    sb.append("  ").append(summary(flow));
    return sb.toString().stripTrailing();
  }

  private static StringBuilder pad(StringBuilder sb, String s, int width) {
    sb.append(s);
    sb.append(" ".repeat(Math.max(0, width - s.length())));
    return sb;
  }

  static String source(JsonNode f) {
    JsonNode s = f.path("source");
    String name = text(s.path("workload")) != null ? s.path("namespace").asText() + "/" + s.path("workload").asText()
        : text(s.path("address")) != null ? s.path("address").asText() : "unknown";
    String peer = text(f.path("peerIdentity"));
    return peer == null ? name : name + " (mTLS " + peer + ")";
  }

  static String destination(JsonNode f) {
    JsonNode d = f.path("destination");
    String ns = d.path("namespace").asText();
    String name = text(d.path("workload")) != null ? ns + "/" + d.path("workload").asText()
        : text(d.path("service")) != null ? ns + "/" + d.path("service").asText()
        : text(d.path("address")) != null ? d.path("address").asText() : "unknown";
    int port = d.path("port").asInt();
    return port > 0 ? name + ":" + port : name;
  }

  /** {@code http} or {@code tcp}, and where it was seen: at the destination (ingress) or the source (egress). */
  static String type(JsonNode f) {
    String protocol = f.path("protocol").asText();
    String kind = protocol.startsWith("http") ? "http" : protocol;
    return kind + " " + f.path("direction").asText();
  }

  static String summary(JsonNode f) {
    StringBuilder sb = new StringBuilder();
    JsonNode http = f.path("http");
    if (http.isObject()) {
      sb.append(http.path("method").asText()).append(' ').append(http.path("path").asText());
      int status = http.path("status").asInt();
      sb.append(' ').append(status == 0 ? "-" : Integer.toString(status));
    } else {
      sb.append("bytes in ").append(f.path("bytesReceived").asLong()).append(" out ").append(f.path("bytesSent").asLong());
    }
    String policy = text(f.path("policy"));
    String verdict = f.path("verdict").asText();
    if (policy != null) {
      sb.append("  policy ").append(policy);
    } else if (!verdict.equals("FORWARDED") && text(f.path("reason")) != null) {
      sb.append("  ").append(f.path("reason").asText());
    }
    return sb.toString();
  }

  private static String text(JsonNode n) {
    return n.isTextual() && !n.asText().isEmpty() ? n.asText() : null;
  }
}
