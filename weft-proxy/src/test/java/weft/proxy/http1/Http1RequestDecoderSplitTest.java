package weft.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The decoder's verdict depends only on the bytes, never on how TCP cut them into reads: any split
 * of a pipelined stream decodes to the same requests (and, for damaged streams, the same error).
 */
class Http1RequestDecoderSplitTest {
  private static final Http1DecoderConfig CONFIG =
      Http1DecoderConfig.DEFAULTS.withAllowCustomMethods(true).withEnableTrailers(true);

  /** A generated request: what goes on the wire and what must come out. */
  record Generated(String wire, String method, String uri, String body) {}

  @Property(tries = 100)
  void anySplitOfAValidPipelinedStreamDecodesToTheSameRequests(
      @ForAll("pipelines") List<Generated> requests, @ForAll("cuts") List<Integer> cuts) {
    byte[] wire = wire(requests);
    Decoded whole = Decoded.of(CONFIG, List.of(wire));
    Decoded split = Decoded.of(CONFIG, split(wire, cuts));

    assertThat(whole.error()).isNull();
    assertThat(whole.unfinished()).isFalse();
    assertThat(whole.requests())
        .extracting(r -> r.method() + " " + r.uri() + " " + r.body())
        .containsExactlyElementsOf(
            requests.stream().map(g -> g.method() + " " + g.uri() + " " + g.body()).toList());
    assertThat(summary(split)).isEqualTo(summary(whole));
  }

  @Property(tries = 100)
  void anySplitOfADamagedStreamGivesTheSameVerdict(
      @ForAll("pipelines") List<Generated> requests,
      @ForAll("cuts") List<Integer> cuts,
      @ForAll("damage") List<Integer> damage) {
    byte[] wire = damage(wire(requests), damage);
    Decoded whole = Decoded.of(CONFIG, List.of(wire));
    Decoded split = Decoded.of(CONFIG, split(wire, cuts));
    assertThat(summary(split)).isEqualTo(summary(whole));
  }

  @Provide
  Arbitrary<List<Generated>> pipelines() {
    return request().list().ofMinSize(1).ofMaxSize(4);
  }

  @Provide
  Arbitrary<List<Integer>> cuts() {
    return Arbitraries.integers().between(0, 4000).list().ofMaxSize(12);
  }

  /** Pairs of (position, byte) to overwrite; bytes chosen among the ones that steer parsing. */
  @Provide
  Arbitrary<List<Integer>> damage() {
    return Arbitraries.integers().between(0, 1_000_000).list().ofMinSize(1).ofMaxSize(3);
  }

  private Arbitrary<Generated> request() {
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

  private static byte[] wire(List<Generated> requests) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Generated g : requests) {
      out.writeBytes(g.wire().getBytes(StandardCharsets.ISO_8859_1));
    }
    return out.toByteArray();
  }

  private static final byte[] DAMAGE_BYTES = {'\r', '\n', ' ', '\t', ':', 0, '0', 'f', ';', '"', ','};

  private static byte[] damage(byte[] wire, List<Integer> damage) {
    byte[] copy = wire.clone();
    for (int d : damage) {
      copy[d % copy.length] = DAMAGE_BYTES[(d / copy.length) % DAMAGE_BYTES.length];
    }
    return copy;
  }

  private static List<byte[]> split(byte[] wire, List<Integer> cuts) {
    TreeSet<Integer> points = new TreeSet<>();
    for (int c : cuts) {
      points.add(c % (wire.length + 1));
    }
    points.add(wire.length);
    List<byte[]> parts = new ArrayList<>();
    int from = 0;
    for (int p : points) {
      byte[] part = new byte[p - from];
      System.arraycopy(wire, from, part, 0, part.length);
      parts.add(part);
      from = p;
    }
    return parts;
  }

  private static String summary(Decoded d) {
    StringBuilder s = new StringBuilder();
    for (Decoded.Request r : d.requests()) {
      s.append(r.method()).append(' ').append(r.uri()).append(' ').append(r.version())
          .append(r.headers()).append(" body=").append(r.body()).append(r.trailers()).append('\n');
    }
    return s.append("error=").append(d.error()).append(" unfinished=").append(d.unfinished()).toString();
  }
}
