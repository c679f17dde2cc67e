package weft.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The upstream response decoder: RFC 9112 §4 status line, §6.3 message body length. */
class Http1ResponseDecoderTest {
  /** What the decoder emitted for one input, rendered: heads, body text, trailers, end, error. */
  private static String decode(HttpMethod method, boolean close, String... parts) {
    Http1ResponseDecoder d = new Http1ResponseDecoder();
    d.expectResponseTo(method);
    EmbeddedChannel ch = new EmbeddedChannel(d);
    List<Object> got = new ArrayList<>();
    for (String p : parts) {
      ch.writeInbound(Unpooled.copiedBuffer(p, StandardCharsets.ISO_8859_1));
      drain(ch, got);
    }
    if (close) {
      ch.finish();
      drain(ch, got);
    }
    StringBuilder sb = new StringBuilder();
    for (Object o : got) {
      if (o instanceof HttpResponse r) {
        sb.append('[').append(r.protocolVersion()).append(' ').append(r.status().code()).append(' ')
            .append(r.status().reasonPhrase()).append(' ').append(r.headers().entries()).append(']');
      }
      if (o instanceof HttpContent c) {
        sb.append(c.content().toString(StandardCharsets.ISO_8859_1));
      }
      if (o instanceof LastHttpContent l) {
        if (!l.trailingHeaders().isEmpty()) {
          sb.append(l.trailingHeaders().entries());
        }
        sb.append("|end");
      }
      if (o instanceof Http1ProtocolError) {
        sb.append("|error");
      }
      ReferenceCountUtil.release(o);
    }
    return sb.toString();
  }

  private static void drain(EmbeddedChannel ch, List<Object> got) {
    for (Object o; (o = ch.readInbound()) != null; ) {
      got.add(o);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = " ~ ", quoteCharacter = '"', value = {
    // RFC 9112 §6.3 item 6: Content-Length
    "content-length ~ HTTP/1.1 200 OK\\r\\ncontent-length: 5\\r\\n\\r\\nhello ~ [HTTP/1.1 200 OK [content-length=5]]hello|end",
    "zero length ~ HTTP/1.1 200 OK\\r\\nContent-Length: 0\\r\\n\\r\\n ~ [HTTP/1.1 200 OK [content-length=0]]|end",
    "identical duplicates ~ HTTP/1.1 200 OK\\r\\ncontent-length: 2\\r\\ncontent-length: 2\\r\\n\\r\\nhi ~ [HTTP/1.1 200 OK [content-length=2, content-length=2]]hi|end",
    // §7.1: chunked, with extensions and trailers (framing fields dropped from trailers)
    "chunked ~ HTTP/1.1 200 OK\\r\\ntransfer-encoding: chunked\\r\\n\\r\\n3;x=y\\r\\nabc\\r\\n2\\r\\nde\\r\\n0\\r\\nx-t: 1\\r\\ncontent-length: 9\\r\\n\\r\\n ~ [HTTP/1.1 200 OK [transfer-encoding=chunked]]abcde[x-t=1]|end",
    // §6.3 item 3: Transfer-Encoding overrides Content-Length, which is removed
    "chunked with length ~ HTTP/1.1 200 OK\\r\\ncontent-length: 99\\r\\ntransfer-encoding: chunked\\r\\n\\r\\n1\\r\\na\\r\\n0\\r\\n\\r\\n ~ [HTTP/1.1 200 OK [transfer-encoding=chunked]]a|end",
    // §6.3 item 1: 1xx, 204 and 304 have no body; the final response follows a 1xx
    "informational then final ~ HTTP/1.1 100 Continue\\r\\n\\r\\nHTTP/1.1 204 No Content\\r\\ncontent-length: 7\\r\\n\\r\\n ~ [HTTP/1.1 100 Continue []]|end[HTTP/1.1 204 No Content [content-length=7]]|end",
    "not modified ~ HTTP/1.1 304 Not Modified\\r\\ncontent-length: 7\\r\\n\\r\\n ~ [HTTP/1.1 304 Not Modified [content-length=7]]|end",
    // §4: the reason phrase is forwarded as received, and may be empty
    "custom reason ~ HTTP/1.0 200 Fine\\r\\ncontent-length: 0\\r\\n\\r\\n ~ [HTTP/1.0 200 Fine [content-length=0]]|end",
    "no reason ~ HTTP/1.1 200\\r\\ncontent-length: 0\\r\\n\\r\\n ~ [HTTP/1.1 200  [content-length=0]]|end",
    "empty reason ~ HTTP/1.1 404 \\r\\ncontent-length: 0\\r\\n\\r\\n ~ [HTTP/1.1 404  [content-length=0]]|end",
    // §6.3 item 4: any coding but chunked alone cannot be relayed once Transfer-Encoding is stripped
    "gzip coding ~ HTTP/1.1 200 OK\\r\\ntransfer-encoding: gzip\\r\\n\\r\\nabc ~ |error",
    "gzip then chunked ~ HTTP/1.1 200 OK\\r\\ntransfer-encoding: gzip, chunked\\r\\n\\r\\n0\\r\\n\\r\\n ~ |error",
    // RFC 9110 §8.6: differing Content-Length values
    "differing lengths ~ HTTP/1.1 200 OK\\r\\ncontent-length: 2\\r\\ncontent-length: 3\\r\\n\\r\\nhi ~ |error",
    "signed length ~ HTTP/1.1 200 OK\\r\\ncontent-length: +2\\r\\n\\r\\nhi ~ |error",
    // §2.2 bare LF, §5.2 obs-fold, §5.1 whitespace before the colon, §4 malformed status line
    "bare lf ~ HTTP/1.1 200 OK\\ncontent-length: 0\\r\\n\\r\\n ~ |error",
    "obs-fold ~ HTTP/1.1 200 OK\\r\\nx-a: 1\\r\\n  2\\r\\ncontent-length: 0\\r\\n\\r\\n ~ |error",
    "space before colon ~ HTTP/1.1 200 OK\\r\\nx-a : 1\\r\\ncontent-length: 0\\r\\n\\r\\n ~ |error",
    "http/2 version ~ HTTP/2.0 200 OK\\r\\n\\r\\n ~ |error",
    "two-digit status ~ HTTP/1.1 20 OK\\r\\n\\r\\n ~ |error",
    "bad chunk end ~ HTTP/1.1 200 OK\\r\\ntransfer-encoding: chunked\\r\\n\\r\\n1\\r\\naXX0\\r\\n\\r\\n ~ [HTTP/1.1 200 OK [transfer-encoding=chunked]]a|error",
  })
  void framesResponsesAsRfc9112Says(String name, String input, String expected) {
    String in = input.replace("\\r", "\r").replace("\\n", "\n");
    assertThat(decode(HttpMethod.GET, false, in)).isEqualTo(expected.strip());
  }

  @Test
  void aResponseToHeadHasNoBodyWhateverItsContentLength() {
    assertThat(decode(HttpMethod.HEAD, false,
        "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"))
        .isEqualTo("[HTTP/1.1 200 OK [content-length=5]]|end[HTTP/1.1 200 OK [content-length=0]]|end");
  }

  @Test
  void aBodyWithoutLengthRunsUntilTheConnectionCloses() {
    assertThat(decode(HttpMethod.GET, true, "HTTP/1.1 200 OK\r\n\r\nab", "cd"))
        .isEqualTo("[HTTP/1.1 200 OK []]abcd|end");
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhel",
    "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhel",
    "HTTP/1.1 200 OK\r\ncontent-le",
  })
  void aBodyCutShortByCloseGetsNoEnd(String input) {
    assertThat(decode(HttpMethod.GET, true, input)).doesNotContain("|end");
  }

  @Test
  void switchingProtocolsLeavesTheRestOfTheBytesUndecoded() {
    Http1ResponseDecoder d = new Http1ResponseDecoder();
    d.expectResponseTo(HttpMethod.GET);
    EmbeddedChannel ch = new EmbeddedChannel(d);
    ch.writeInbound(Unpooled.copiedBuffer(
        "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\n\r\n\u0081\u0001x",
        StandardCharsets.ISO_8859_1));
    HttpResponse head = ch.readInbound();
    assertThat(head.status().code()).isEqualTo(101);
    assertThat((Object) ch.readInbound()).isEqualTo(LastHttpContent.EMPTY_LAST_CONTENT);
    assertThat((Object) ch.readInbound()).isNull();
    ch.pipeline().remove(d);
    ByteBuf rest = ch.readInbound();
    assertThat(rest.toString(StandardCharsets.ISO_8859_1)).isEqualTo("\u0081\u0001x");
    rest.release();
  }

  @Test
  void byteByByteInputDecodesAsTheWholeDoes() {
    String[] inputs = {
      "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\nx-a: b\r\n\r\n3\r\nabc\r\n0\r\nx-t: 1\r\n\r\n",
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 Fine\r\ncontent-length: 4\r\n\r\nabcd",
      "HTTP/1.1 200 OK\r\nx: y\r\n\nz",
    };
    for (String input : inputs) {
      String whole = decode(HttpMethod.GET, false, input);
      String[] bytes = input.split("");
      // contents arrive in more pieces; compare what they add up to
      assertThat(decode(HttpMethod.GET, false, bytes)).isEqualTo(whole);
    }
  }

  @Test
  void aHeadSectionOverTheLimitIsRefused() {
    String big = "HTTP/1.1 200 OK\r\nx-big: " + "a".repeat(Http1ResponseDecoder.MAX_HEAD_BYTES) + "\r\n\r\n";
    assertThat(decode(HttpMethod.GET, false, big)).isEqualTo("|error");
  }
}
