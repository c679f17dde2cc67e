package weft.proxy.route;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;

/**
 * A custom header value with Envoy's {@code %VARIABLE%} substitutions, parsed once at compile.
 * Supported: {@code %DOWNSTREAM_REMOTE_ADDRESS%}, {@code %DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%},
 * {@code %DOWNSTREAM_REMOTE_PORT%}, the same three for {@code DOWNSTREAM_DIRECT_REMOTE} and
 * {@code DOWNSTREAM_LOCAL}, {@code %REQ(name)%}, {@code %HOSTNAME%} and {@code %%} for a literal
 * percent sign. Any other variable is a config problem, never passed through as text.
 */
final class HeaderValueTemplate {
  private sealed interface Part {}

  private record Literal(String text) implements Part {}

  private enum Address { REMOTE, DIRECT_REMOTE, LOCAL }

  private enum Form { WITH_PORT, WITHOUT_PORT, PORT }

  private record AddressVar(Address address, Form form) implements Part {}

  private record RequestHeader(String name) implements Part {}

  private final String source;
  private final Part[] parts;
  private final String constant; // non-null when there is no variable

  private HeaderValueTemplate(String source, Part[] parts) {
    this.source = source;
    this.parts = parts;
    this.constant = parts.length == 0 ? ""
        : parts.length == 1 && parts[0] instanceof Literal l ? l.text() : null;
  }

  static HeaderValueTemplate compile(String value, ConfigPath path, ConfigProblems problems) {
    List<Part> parts = new ArrayList<>();
    StringBuilder lit = new StringBuilder();
    int i = 0;
    while (i < value.length()) {
      char c = value.charAt(i);
      if (c != '%') {
        lit.append(c);
        i++;
        continue;
      }
      if (i + 1 < value.length() && value.charAt(i + 1) == '%') {
        lit.append('%');
        i += 2;
        continue;
      }
      int end = value.indexOf('%', i + 1);
      if (end < 0) {
        problems.add(path, "unterminated variable in header value \"" + value
            + "\" (expected: %VARIABLE% or %% for a literal percent sign)");
        return null;
      }
      Part p = variable(value.substring(i + 1, end), path, problems);
      if (p == null) {
        return null;
      }
      if (!lit.isEmpty()) {
        parts.add(new Literal(lit.toString()));
        lit.setLength(0);
      }
      parts.add(p);
      i = end + 1;
    }
    if (!lit.isEmpty()) {
      parts.add(new Literal(lit.toString()));
    }
    return new HeaderValueTemplate(value, parts.toArray(Part[]::new));
  }

  private static Part variable(String v, ConfigPath path, ConfigProblems problems) {
    if (v.startsWith("REQ(") && v.endsWith(")") && v.length() > 5) {
      String name = v.substring(4, v.length() - 1);
      if (name.contains("?") || name.contains(":") && !name.startsWith(":")) {
        problems.add(path, "%" + v + "% is not supported (alternative headers and truncation are not implemented)");
        return null;
      }
      return new RequestHeader(name.toLowerCase(Locale.ROOT));
    }
    return switch (v) {
      case "DOWNSTREAM_REMOTE_ADDRESS" -> new AddressVar(Address.REMOTE, Form.WITH_PORT);
      case "DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT" -> new AddressVar(Address.REMOTE, Form.WITHOUT_PORT);
      case "DOWNSTREAM_REMOTE_PORT" -> new AddressVar(Address.REMOTE, Form.PORT);
      case "DOWNSTREAM_DIRECT_REMOTE_ADDRESS" -> new AddressVar(Address.DIRECT_REMOTE, Form.WITH_PORT);
      case "DOWNSTREAM_DIRECT_REMOTE_ADDRESS_WITHOUT_PORT" ->
          new AddressVar(Address.DIRECT_REMOTE, Form.WITHOUT_PORT);
      case "DOWNSTREAM_DIRECT_REMOTE_PORT" -> new AddressVar(Address.DIRECT_REMOTE, Form.PORT);
      case "DOWNSTREAM_LOCAL_ADDRESS" -> new AddressVar(Address.LOCAL, Form.WITH_PORT);
      case "DOWNSTREAM_LOCAL_ADDRESS_WITHOUT_PORT" -> new AddressVar(Address.LOCAL, Form.WITHOUT_PORT);
      case "DOWNSTREAM_LOCAL_PORT" -> new AddressVar(Address.LOCAL, Form.PORT);
      case "HOSTNAME" -> new Literal(hostname());
      default -> {
        problems.add(path, "header value variable %" + v + "% is not supported");
        yield null;
      }
    };
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  /** The value for this request; constants are returned without building a string. */
  String render(RouteRequest req) {
    if (constant != null) {
      return constant;
    }
    StringBuilder sb = new StringBuilder();
    for (Part p : parts) {
      switch (p) {
        case Literal l -> sb.append(l.text());
        case RequestHeader h -> {
          String v = req.header(h.name());
          if (v != null) {
            sb.append(v);
          }
        }
        case AddressVar a -> appendAddress(sb, switch (a.address()) {
          case REMOTE -> req.downstreamAddress();
          case DIRECT_REMOTE -> req.downstreamDirectAddress();
          case LOCAL -> req.downstreamLocalAddress();
        }, a.form());
      }
    }
    return sb.toString();
  }

  private static void appendAddress(StringBuilder sb, InetSocketAddress a, Form form) {
    if (a == null) {
      return; // Envoy renders an unavailable value as empty in headers
    }
    InetAddress ip = a.getAddress();
    String host = ip == null ? a.getHostString() : ip.getHostAddress();
    switch (form) {
      case WITHOUT_PORT -> sb.append(host);
      case PORT -> sb.append(a.getPort());
      case WITH_PORT -> {
        if (ip instanceof Inet6Address) {
          sb.append('[').append(host).append(']');
        } else {
          sb.append(host);
        }
        sb.append(':').append(a.getPort());
      }
    }
  }

  @Override
  public String toString() {
    return source;
  }
}
