package weft.proxy.http;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Envoy's local replies: {@code text/plain} body (none when empty), and for gRPC requests a
 * trailers-only response with {@code grpc-status} mapped from the HTTP status as Envoy's
 * {@code Grpc::Utility::httpToGrpcStatus} and the body as {@code grpc-message}.
 */
final class LocalReply {
  private LocalReply() {}

  static FullHttpResponse build(ByteBufAllocator alloc, int status, String body, boolean grpc) {
    if (grpc) {
      FullHttpResponse r = new DefaultFullHttpResponse(
          HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.EMPTY_BUFFER);
      r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/grpc");
      r.headers().set("grpc-status", Integer.toString(grpcStatus(status)));
      if (!body.isEmpty()) {
        r.headers().set("grpc-message", percentEncode(body));
      }
      r.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
      return r;
    }
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(status),
        body.isEmpty() ? Unpooled.EMPTY_BUFFER : ByteBufUtil.writeUtf8(alloc, body));
    if (!body.isEmpty()) {
      r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
    }
    r.headers().set(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
    return r;
  }

  static int grpcStatus(int http) {
    return switch (http) {
      case 400 -> 13;
      case 401 -> 16;
      case 403 -> 7;
      case 404 -> 12;
      case 429, 502, 503, 504 -> 14;
      default -> 2;
    };
  }

  private static String percentEncode(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if (c >= 0x20 && c <= 0x7E && c != '%') {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return sb.toString();
  }
}
