package weft.proxy.upstream;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpObject;
import java.net.SocketAddress;

/** One request/response exchange on an upstream connection. Used on its event loop only. */
public interface UpstreamStream {
  /** Writes the request head, a body chunk or the {@code LastHttpContent}; takes ownership. */
  void write(HttpObject message);

  /** Raw bytes of an upgraded (101) tunnel; HTTP/1.1 only. */
  void writeRaw(io.netty.buffer.ByteBuf bytes);

  /** Abandons the exchange; the connection is closed (HTTP/1.1) or the stream reset (HTTP/2). */
  void reset();

  /** After a 101 upgrade: the raw channel for the byte tunnel (HTTP/1.1 only). */
  Channel channel();

  SocketAddress localAddress();
}
