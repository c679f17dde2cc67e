package weft.proxy.http1;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generated pipelined request streams for the decoder's properties. */
final class RequestStreams {
  private RequestStreams() {}

  /** A generated request: what goes on the wire and what must come out. */
  record Generated(String wire, String method, String uri, String body) {}

  static Arbitrary<List<Generated>> pipelines() {
    return request().list().ofMinSize(1).ofMaxSize(4);
  }

  /** Overwrites to apply: each int picks a position and one of the bytes that steer parsing. */
  static Arbitrary<List<Integer>> damage() {
    return Arbitraries.integers().between(0, 1_000_000).list().ofMinSize(1).ofMaxSize(3);
  }

  private static Arbitrary<Generated> request() {
    Arbitrary<String> method = Arbitraries.of("GET", "POST", "PUT", "PATCH", "DELETE", "X-CUSTOM");
    Arbitrary<String> path = Arbitraries.strings().withChars("abc/%20=&?-").ofMaxLength(12).map(s -> "/" + s);
    Arbitrary<String> body = Arbitraries.strings().withCharRange(' ', '~').withChars("\r\n\u0000\u00ff").ofMaxLength(40);
    Arbitrary<Integer> framing = Arbitraries.integers().between(0, 2);
    Arbitrary<Integer> chunk = Arbitraries.integers().between(1, 9);
    Arbitrary<Boolean> extras = Arbitraries.of(true, false);
    return Combinators.combine(method, path, body, framing, chunk, extras)
        .as((m, p, b, f, c, x) -> build(m, p, f == 0 ? "" : b, f, c, x));
  }

  private static Generated build(String method, String path, String body, int framing, int chunk, boolean extras) {
    StringBuilder w = new StringBuilder();
    if (extras) {
      w.append("\r\n");
    }
    w.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: split.test\r\n");
    if (extras) {
      w.append("X-Pad:\t v a l u e \t\r\nAccept: */*\r\n");
    }
    switch (framing) {
      case 0 -> {}
      case 1 -> w.append("Content-Length: ").append(body.length()).append("\r\n\r\n").append(body);
      default -> {
        w.append("Transfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < body.length(); i += chunk) {
          String part = body.substring(i, Math.min(body.length(), i + chunk));
          w.append(Integer.toHexString(part.length()));
          if (extras) {
            w.append(";n=\"v;\\\"\"");
          }
          w.append("\r\n").append(part).append("\r\n");
        }
        w.append("0\r\n");
        if (extras) {
          w.append("X-Trailer: t\r\n");
        }
      }
    }
    if (framing != 1) {
      w.append("\r\n");
    }
    return new Generated(w.toString(), method, path, body);
  }

  static byte[] wire(List<Generated> requests) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Generated g : requests) {
      out.writeBytes(g.wire().getBytes(StandardCharsets.ISO_8859_1));
    }
    return out.toByteArray();
  }

  private static final byte[] DAMAGE_BYTES = {'\r', '\n', ' ', '\t', ':', 0, '0', 'f', ';', '"', ','};

  static byte[] damage(byte[] wire, List<Integer> damage) {
    byte[] copy = wire.clone();
    for (int d : damage) {
      copy[d % copy.length] = DAMAGE_BYTES[(d / copy.length) % DAMAGE_BYTES.length];
    }
    return copy;
  }

}
