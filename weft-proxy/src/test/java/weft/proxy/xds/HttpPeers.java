package weft.proxy.xds;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A named backend answering its name (and {@code /slow} only once released), and a raw client. */
final class HttpPeers {
  private HttpPeers() {}

  static final class Backend implements AutoCloseable {
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch slowArrived = new CountDownLatch(1);
    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    Backend(String name) throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.setExecutor(pool);
      server.createContext("/", ex -> {
        if (ex.getRequestURI().getPath().equals("/slow")) {
          slowArrived.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        byte[] body = name.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream o = ex.getResponseBody()) {
          o.write(body);
        }
      });
      server.start();
    }

    int port() {
      return server.getAddress().getPort();
    }

    @Override
    public void close() {
      release.countDown();
      server.stop(0);
      pool.shutdownNow();
    }
  }

  /** One request on a new connection; returns "STATUS BODY", or "error: ..." if it failed. */
  static String get(InetSocketAddress proxy, String path) {
    try (Socket s = new Socket(proxy.getAddress(), proxy.getPort())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nhost: shop\r\nconnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      String resp = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      if (resp.isEmpty()) {
        return "error: empty response";
      }
      String status = resp.substring(9, 12);
      int bodyAt = resp.indexOf("\r\n\r\n");
      return status + " " + (bodyAt < 0 ? "" : resp.substring(bodyAt + 4));
    } catch (IOException e) {
      return "error: " + e;
    }
  }

  /**
   * A keep-alive HTTP/1.1 backend that answers its name and counts the TCP connections it
   * accepted (to see whether the proxy's pooled upstream connections survive an update).
   */
  static final class CountingBackend implements AutoCloseable {
    final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
    private final java.net.ServerSocket server;
    private final ExecutorService pool = Executors.newCachedThreadPool();

    CountingBackend(String name) throws IOException {
      server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
      byte[] answer = ("HTTP/1.1 200 OK\r\ncontent-length: " + name.length() + "\r\n\r\n" + name)
          .getBytes(StandardCharsets.US_ASCII);
      pool.execute(() -> {
        while (!server.isClosed()) {
          try {
            Socket s = server.accept();
            accepted.incrementAndGet();
            pool.execute(() -> serve(s, answer));
          } catch (IOException e) {
            return;
          }
        }
      });
    }

    private static void serve(Socket s, byte[] answer) {
      try (s) {
        InputStream in = s.getInputStream();
        int matched = 0;
        int b;
        // requests without bodies: answer at each blank line that ends a header block
        while ((b = in.read()) >= 0) {
          matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : 0;
          if (matched == 4) {
            s.getOutputStream().write(answer);
            matched = 0;
          }
        }
      } catch (IOException e) {
        // the proxy closed the connection
      }
    }

    int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
      pool.shutdownNow();
    }
  }

  /**
   * One request on an established keep-alive connection; returns "STATUS BODY" of a response
   * with a content-length, or "closed" when the proxy closed the connection.
   */
  static String exchange(Socket s, String path) throws IOException {
    s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nhost: shop\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    InputStream in = s.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        return "closed";
      }
      head.append((char) b);
    }
    String h = head.toString().toLowerCase(java.util.Locale.ROOT);
    int at = h.indexOf("content-length:");
    int len = at < 0 ? 0 : Integer.parseInt(h.substring(at + 15, h.indexOf("\r\n", at)).trim());
    byte[] body = in.readNBytes(len);
    return head.substring(9, 12) + " " + new String(body, StandardCharsets.ISO_8859_1);
  }
}
