package weft.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** WebSocket over HTTP/1.1 (HCM upgrade_configs): after the 101 the connection is a byte tunnel. */
@Timeout(30)
class WebSocketTunnelTest {

  /** A backend that answers the upgrade with 101 and then echoes bytes upper-cased. */
  private static Thread echoBackend(ServerSocket server) {
    Thread t = new Thread(() -> {
      try (Socket s = server.accept()) {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        readHead(in);
        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        byte[] buf = new byte[1024];
        int n;
        while ((n = in.read(buf)) > 0) {
          out.write(new String(buf, 0, n, StandardCharsets.US_ASCII).toUpperCase()
              .getBytes(StandardCharsets.US_ASCII));
          out.flush();
        }
      } catch (Exception e) {
        // the test fails on its own assertions
      }
    }, "ws-backend");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static String readHead(InputStream in) throws Exception {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  @Test
  void relaysBytesBothWaysAfterThe101() throws Exception {
    try (ServerSocket backend = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      echoBackend(backend);
      try (ProxyFixture p = new ProxyFixture("""
                      - match: {prefix: "/"}
                        route: {cluster: ws}
          """, "", """
                  upgrade_configs: [{upgrade_type: websocket}]
          """, Map.of("ws", backend.getLocalPort()));
          Socket s = new Socket(InetAddress.getLoopbackAddress(), p.port())) {
        s.setSoTimeout(10_000);
        s.getOutputStream().write(("GET /chat HTTP/1.1\r\nHost: ws.local\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        String head = readHead(s.getInputStream());
        assertThat(head).startsWith("HTTP/1.1 101").containsIgnoringCase("upgrade: websocket");
        s.getOutputStream().write("hello tunnel".getBytes(StandardCharsets.US_ASCII));
        byte[] buf = new byte[12];
        int read = 0;
        while (read < buf.length) {
          int n = s.getInputStream().read(buf, read, buf.length - read);
          assertThat(n).isPositive();
          read += n;
        }
        assertThat(new String(buf, StandardCharsets.US_ASCII)).isEqualTo("HELLO TUNNEL");
      }
    }
  }

  @Test
  void refusesUpgradesWhenNoUpgradeConfigAllowsThem() throws Exception {
    TestBackend b = new TestBackend("b");
    try (ProxyFixture p = new ProxyFixture("""
                      - match: {prefix: "/"}
                        route: {cluster: b}
          """, "", "", Map.of("b", b.port()))) {
      String r = RawHttp.exchange(p.port(), "GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\n\r\n");
      assertThat(r).startsWith("HTTP/1.1 403");
      assertThat(b.requests()).isEmpty();
    } finally {
      b.close();
    }
  }

  @Test
  void refusesConnectAndOtherUpgradesAndClosesAsTheDecoderHoldsWhatFollows() throws Exception {
    TestBackend b = new TestBackend("b");
    try (ProxyFixture p = new ProxyFixture("""
                      - match: {prefix: "/"}
                        route: {cluster: b}
          """, "", "", Map.of("b", b.port()))) {
      String connect = RawHttp.exchange(p.port(),
          "CONNECT b.test:443 HTTP/1.1\r\nHost: b.test:443\r\n\r\n\u0016\u0003\u0001");
      // no route has a connect_matcher, so routing answers first (404); either way it closes
      assertThat(connect).startsWith("HTTP/1.1 404").containsIgnoringCase("connection: close");
      String other = RawHttp.exchange(p.port(), "GET /u HTTP/1.1\r\nHost: x\r\n"
          + "Connection: upgrade\r\nUpgrade: foo\r\n\r\nGET /next HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(other).startsWith("HTTP/1.1 403").doesNotContain("HTTP/1.1 200");
      assertThat(b.requests()).isEmpty();
    } finally {
      b.close();
    }
  }
}
