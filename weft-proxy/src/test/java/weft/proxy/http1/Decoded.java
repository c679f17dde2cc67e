package weft.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What an {@link Http1RequestDecoder} made of some bytes, as plain values: the complete requests,
 * the protocol error if any, and whether a request was left unfinished. Every buffer the decoder
 * emitted is released here, so paranoid leak detection sees any leak of the decoder's own.
 */
record Decoded(List<Decoded.Request> requests, Http1ProtocolError error, boolean unfinished) {

  /** One request: its head, its body bytes (latin-1) and its trailer lines. */
  record Request(
      String method,
      String uri,
      String version,
      List<String> headers,
      String body,
      List<String> trailers,
      Http1Request head) {
    /** The values of a header, by lower-case name. */
    List<String> header(String name) {
      return head.headers().getAll(name);
    }
  }

  static Decoded of(String latin1) {
    return of(Http1DecoderConfig.DEFAULTS, latin1);
  }

  static Decoded of(Http1DecoderConfig config, String latin1) {
    return of(config, List.of(latin1.getBytes(StandardCharsets.ISO_8859_1)));
  }

  /** Feeds {@code segments} one write each, then ends the input. */
  static Decoded of(Http1DecoderConfig config, List<byte[]> segments) {
    EmbeddedChannel channel = new EmbeddedChannel(new Http1RequestDecoder(config));
    Collector collector = new Collector();
    try {
      for (byte[] segment : segments) {
        channel.writeInbound(Unpooled.wrappedBuffer(segment));
        collector.drain(channel);
      }
      channel.finish();
      collector.drain(channel);
    } finally {
      channel.finishAndReleaseAll();
    }
    return collector.result();
  }

  private static final class Collector {
    final List<Request> requests = new ArrayList<>();
    Http1ProtocolError error;
    Http1Request head;
    ByteArrayOutputStream body;

    void drain(EmbeddedChannel channel) {
      Object m;
      while ((m = channel.readInbound()) != null) {
        try {
          accept(m);
        } finally {
          ReferenceCountUtil.release(m);
        }
      }
    }

    void accept(Object m) {
      if (error != null) {
        throw new AssertionError("message after the protocol error: " + m);
      }
      if (m instanceof Http1ProtocolError e) {
        error = e;
        return;
      }
      if (m instanceof Http1Request r) {
        if (head != null) {
          throw new AssertionError("request head before the previous request ended");
        }
        head = r;
        body = new ByteArrayOutputStream();
        return;
      }
      if (m instanceof HttpContent c) {
        if (head == null) {
          throw new AssertionError("content outside a request: " + m);
        }
        ByteBuf data = c.content();
        byte[] bytes = new byte[data.readableBytes()];
        data.getBytes(data.readerIndex(), bytes);
        body.writeBytes(bytes);
        if (c instanceof LastHttpContent last) {
          List<String> trailers = new ArrayList<>();
          for (Map.Entry<String, String> e : last.trailingHeaders()) {
            trailers.add(e.getKey() + ": " + e.getValue());
          }
          requests.add(
              new Request(
                  head.method().name(),
                  head.uri(),
                  head.protocolVersion().text(),
                  lines(head),
                  body.toString(StandardCharsets.ISO_8859_1),
                  trailers,
                  head));
          head = null;
        }
        return;
      }
      throw new AssertionError("unexpected message " + m);
    }

    Decoded result() {
      return new Decoded(List.copyOf(requests), error, head != null);
    }

    private static List<String> lines(Http1Request head) {
      List<String> lines = new ArrayList<>();
      for (Map.Entry<String, String> e : head.headers()) {
        lines.add(e.getKey() + ": " + e.getValue());
      }
      return lines;
    }
  }
}
