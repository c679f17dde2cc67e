package weft.proxy.cluster;

import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The socket channel classes that fit an event loop (NIO, or the native transport the worker
 * loops use), so that health checks and DNS run on the loops' own transport. The epoll classes are
 * looked up by name once: this package compiles against the portable transport only.
 */
final class SocketTypes {
  private static final String EPOLL = "io.netty.channel.epoll.";

  private SocketTypes() {}

  private static boolean nio(EventLoop loop) {
    return !(loop instanceof IoEventLoop io) || io.isIoType(NioIoHandler.class);
  }

  static Class<? extends SocketChannel> socket(EventLoop loop) {
    return nio(loop) ? NioSocketChannel.class : load(EPOLL + "EpollSocketChannel", SocketChannel.class);
  }

  static Class<? extends DatagramChannel> datagram(EventLoop loop) {
    return nio(loop)
        ? NioDatagramChannel.class
        : load(EPOLL + "EpollDatagramChannel", DatagramChannel.class);
  }

  private static <T> Class<? extends T> load(String name, Class<T> type) {
    try {
      return Class.forName(name, true, SocketTypes.class.getClassLoader()).asSubclass(type);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("worker loops use a transport without " + name, e);
    }
  }
}
