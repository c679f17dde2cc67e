package weft.proxy.upstream;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import weft.proxy.http.Http2Frames;

/**
 * One exchange on a stream of an {@link Http2ClientConnection}: the request head opens the
 * stream, the response comes back as HTTP objects built straight from the frames.
 */
final class Http2Exchange implements UpstreamStream {
  private static final AsciiString HTTP = AsciiString.cached("http");

  private final UpstreamListener listener;
  private final Http2ClientConnection conn;
  /** Called once when the exchange no longer occupies a stream slot of the connection. */
  private final Runnable released;
  private int streamId = -1;
  private boolean headReceived;
  private boolean done;
  private boolean releasedOnce;
  private long resetCode = -1;

  Http2Exchange(UpstreamListener listener, Http2ClientConnection conn, Runnable released) {
    this.listener = listener;
    this.conn = conn;
    this.released = released;
  }

  @Override
  public void write(HttpObject message) {
    if (streamId < 0) {
      if (!(message instanceof HttpRequest req) || done) {
        ReferenceCountUtil.release(message);
        return;
      }
      if (!conn.open(this, head(req), req instanceof LastHttpContent full ? full : null)) {
        fail(UpstreamFailure.LOCAL_RESET, "cannot open stream");
      }
      return;
    }
    if (done || !(message instanceof HttpContent c)) {
      ReferenceCountUtil.release(message);
      return;
    }
    Http2Frames.writeBody(conn.context(), conn.encoder(), streamId, c);
    conn.flushStreams();
  }

  /** The request head as an HTTP/2 header block ({@code :authority} from Host). */
  private static Http2Headers head(HttpRequest req) {
    HttpHeaders in = req.headers();
    Http2Headers h = new DefaultHttp2Headers(false, in.size() + 4);
    h.method(req.method().asciiName()).path(req.uri()).scheme(HTTP);
    String host = in.get(HttpHeaderNames.HOST);
    if (host != null) {
      h.authority(host);
    }
    return Http2Frames.addRegular(in, h);
  }

  void opened(int id) {
    streamId = id;
  }

  @Override
  public void writeRaw(io.netty.buffer.ByteBuf bytes) {
    bytes.release();
    throw new IllegalStateException("no byte tunnel over HTTP/2 upstreams");
  }

  @Override
  public void reset() {
    // also after the response ended: a request still being sent is cut off (RST_STREAM)
    done = true;
    if (streamId >= 0) {
      conn.reset(streamId);
    }
    release();
  }

  @Override
  public Channel channel() {
    return conn.context().channel();
  }

  @Override
  public SocketAddress localAddress() {
    return conn.context().channel().localAddress();
  }

  boolean wantsData() {
    return headReceived && !done;
  }

  void onHeaders(Http2Headers headers, boolean endOfStream) throws Http2Exception {
    if (done) {
      return;
    }
    if (headReceived) {
      // a second block is the trailers, which end the stream
      LastHttpContent last = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
      HttpConversionUtil.addHttp2ToHttpHeaders(streamId, headers, last.trailingHeaders(),
          HttpVersion.HTTP_1_1, true, false);
      done = true;
      listener.onResponseData(last);
      return;
    }
    CharSequence status = headers.status();
    if (status != null && status.length() == 3 && status.charAt(0) == '1') {
      return; // interim (1xx) responses are not relayed
    }
    HttpResponse res = endOfStream
        ? HttpConversionUtil.toFullHttpResponse(streamId, headers, Unpooled.EMPTY_BUFFER, true)
        : HttpConversionUtil.toHttpResponse(streamId, headers, true);
    headReceived = true;
    if (endOfStream) {
      done = true;
    }
    listener.onResponseHeaders(res);
  }

  void onData(HttpContent c) {
    if (c instanceof LastHttpContent) {
      done = true;
    }
    listener.onResponseData(c);
  }

  void resetByPeer(long code) {
    resetCode = code;
  }

  /** The stream closed: normal after the response ended, else a failure of this exchange. */
  void closed() {
    release();
    if (done) {
      return;
    }
    if (resetCode == Http2Error.REFUSED_STREAM.code()) {
      fail(UpstreamFailure.REFUSED_STREAM, "refused stream");
    } else if (resetCode >= 0) {
      fail(UpstreamFailure.REMOTE_RESET, "remote reset");
    } else {
      fail(UpstreamFailure.CONNECTION_TERMINATION, "upstream closed the connection");
    }
  }

  private void fail(UpstreamFailure failure, String detail) {
    done = true;
    release();
    listener.onFailure(failure, detail);
  }

  private void release() {
    if (!releasedOnce) {
      releasedOnce = true;
      released.run();
    }
  }
}
