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
}
