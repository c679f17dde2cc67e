package weft.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import java.util.function.Consumer;

/** Where a stream's response goes: the HTTP/1.1 connection or an HTTP/2 stream channel. */
interface ResponseSink {
  EventLoop eventLoop();

  boolean isHttp2();

  io.netty.buffer.ByteBufAllocator alloc();

  /** Sends {@code 100 Continue} (HTTP/1.1 only). */
  void writeContinue();

  /** Writes the response head; the sink sets framing and connection headers for its protocol. */
  void writeHead(ActiveStream stream, HttpResponse response);

  void writeContent(HttpContent content);

  /** The response is complete (its last content was written). */
  void complete(ActiveStream stream);

  /** Aborts the stream. */
  void reset(ActiveStream stream);

  /** Switches an HTTP/1.1 connection to a raw byte tunnel after a 101 response. */
  FilterCallbacks.UpgradedTunnel upgrade(
      ActiveStream stream, Consumer<ByteBuf> fromDownstream, Runnable downstreamClosed);
}
