package weft.proxy.tcp;

import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The client socket class that fits a worker event loop's I/O transport: NIO, or epoll (loaded
 * by name: its classes come with the native transport at run time only).
 */
final class UpstreamSockets {
  private static final String EPOLL_SOCKET = "io.netty.channel.epoll.EpollSocketChannel";

  private UpstreamSockets() {}

  static Class<? extends SocketChannel> socket(EventLoop loop) {
    if (!(loop instanceof IoEventLoop io) || io.isIoType(NioIoHandler.class)) {
      return NioSocketChannel.class;
    }
    try {
      return Class.forName(EPOLL_SOCKET, true, UpstreamSockets.class.getClassLoader()).asSubclass(SocketChannel.class);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("worker loops use a transport without " + EPOLL_SOCKET, e);
    }
  }
}
