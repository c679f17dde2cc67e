package weft.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * What the decoder emits can be forwarded with Netty's {@link HttpRequestEncoder} as it is: the
 * encoded bytes decode to exactly the same requests. So a proxy that forwards the canonical heads
 * and bodies cannot frame a request differently from the next hop (no smuggling through weft).
 */
class Http1RequestDecoderReencodeTest {
  private static final Http1DecoderConfig CONFIG =
      Http1DecoderConfig.DEFAULTS.withAllowCustomMethods(true).withEnableTrailers(true);

  @Property(tries = 100)
  void acceptedRequestsReencodeToTheSameRequests(
      @ForAll("pipelines") List<RequestStreams.Generated> requests,
      @ForAll("damage") List<Integer> damage,
      @ForAll boolean damaged) {
    byte[] wire = RequestStreams.wire(requests);
    if (damaged) {
      wire = RequestStreams.damage(wire, damage);
    }
    Decoded first = Decoded.of(CONFIG, List.of(wire));
    byte[] forwarded = reencode(wire);
    Decoded second = Decoded.of(CONFIG, List.of(forwarded));
    assertThat(requestsOnly(second)).isEqualTo(requestsOnly(first));
    assertThat(second.error()).isNull();
  }

  @Provide
  Arbitrary<List<RequestStreams.Generated>> pipelines() {
    return RequestStreams.pipelines();
  }

  @Provide
  Arbitrary<List<Integer>> damage() {
    return RequestStreams.damage();
  }

  /** Decodes {@code wire} and encodes every complete request again, as a proxy forwards it. */
  private static byte[] reencode(byte[] wire) {
    EmbeddedChannel decoder = new EmbeddedChannel(new Http1RequestDecoder(CONFIG));
    EmbeddedChannel encoder = new EmbeddedChannel(new HttpRequestEncoder());
    List<Object> pending = new ArrayList<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      decoder.writeInbound(Unpooled.wrappedBuffer(wire));
      decoder.finish();
      Object m;
      while ((m = decoder.readInbound()) != null) {
        if (m instanceof Http1ProtocolError) {
          break;
        }
        pending.add(m);
        if (m instanceof LastHttpContent) {
          // only complete requests are forwarded here
          for (Object p : pending) {
            encoder.writeOutbound(p);
          }
          pending.clear();
          ByteBuf b;
          while ((b = encoder.readOutbound()) != null) {
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            out.writeBytes(bytes);
            b.release();
          }
        }
      }
    } finally {
      pending.forEach(ReferenceCountUtil::release);
      decoder.finishAndReleaseAll();
      encoder.finishAndReleaseAll();
    }
    return out.toByteArray();
  }

  private static String requestsOnly(Decoded d) {
    StringBuilder s = new StringBuilder();
    for (Decoded.Request r : d.requests()) {
      s.append(r.method()).append(' ').append(r.uri()).append(' ').append(r.version())
          .append(r.headers()).append(" body=").append(r.body()).append(r.trailers()).append('\n');
    }
    return s.toString();
  }
}
