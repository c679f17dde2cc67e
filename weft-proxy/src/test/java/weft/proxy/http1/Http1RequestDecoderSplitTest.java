package weft.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
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


  @Property(tries = 100)
  void anySplitOfAValidPipelinedStreamDecodesToTheSameRequests(
      @ForAll("pipelines") List<RequestStreams.Generated> requests, @ForAll("cuts") List<Integer> cuts) {
    byte[] wire = RequestStreams.wire(requests);
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
      @ForAll("pipelines") List<RequestStreams.Generated> requests,
      @ForAll("cuts") List<Integer> cuts,
      @ForAll("damage") List<Integer> damage) {
    byte[] wire = RequestStreams.damage(RequestStreams.wire(requests), damage);
    Decoded whole = Decoded.of(CONFIG, List.of(wire));
    Decoded split = Decoded.of(CONFIG, split(wire, cuts));
    assertThat(summary(split)).isEqualTo(summary(whole));
  }

  @Property(tries = 100)
  void arbitraryBytesNeverBreakTheDecoder(@ForAll byte[] junk, @ForAll("cuts") List<Integer> cuts) {
    // no exception escapes, nothing leaks, and the verdict does not depend on the split
    Decoded whole = Decoded.of(CONFIG, List.of(junk));
    Decoded split = Decoded.of(CONFIG, split(junk, cuts));
    assertThat(summary(split)).isEqualTo(summary(whole));
  }

  @Provide
  Arbitrary<List<RequestStreams.Generated>> pipelines() {
    return RequestStreams.pipelines();
  }

  @Provide
  Arbitrary<List<Integer>> cuts() {
    return Arbitraries.integers().between(0, 4000).list().ofMaxSize(12);
  }

  /** Pairs of (position, byte) to overwrite; bytes chosen among the ones that steer parsing. */
  @Provide
  Arbitrary<List<Integer>> damage() {
    return RequestStreams.damage();
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

  static String summary(Decoded d) {
    StringBuilder s = new StringBuilder();
    for (Decoded.Request r : d.requests()) {
      s.append(r.method()).append(' ').append(r.uri()).append(' ').append(r.version())
          .append(r.headers()).append(" body=").append(r.body()).append(r.trailers()).append('\n');
    }
    return s.append("error=").append(d.error()).append(" unfinished=").append(d.unfinished()).toString();
  }
}
