package weft.cli.demo.apps;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * One HTTP/1.1 request over a fresh connection. The demo's clients talk to their sidecar's outbound
 * listener and name the destination in {@code Host} (as an app does through a mesh); the JDK's
 * HttpClient does not let a caller set {@code Host}, hence this small client.
 */
public final class HttpCall {
  /** A response: status and body (text). */
  public record Response(int status, String body) {}

  private HttpCall() {}

  /**
   * Sends {@code method path} with {@code Host: host} to {@code to}; {@code body} may be null.
   *
   * @throws IOException if the connection fails or the response is not HTTP/1.x
   */
  public static Response send(InetSocketAddress to, String host, String method, String path, String body,
      Duration timeout) throws IOException {
    byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    try (Socket s = new Socket()) {
      s.connect(to, (int) timeout.toMillis());
      s.setSoTimeout((int) timeout.toMillis());
      StringBuilder req = new StringBuilder()
          .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
          .append("Host: ").append(host).append("\r\n")
          .append("User-Agent: weft-demo\r\n")
          .append("Connection: close\r\n");
      if (body != null) {
        req.append("Content-Type: application/json\r\n").append("Content-Length: ").append(payload.length).append("\r\n");
      }
      req.append("\r\n");
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
      out.write(payload);
      out.flush();
      return read(new BufferedInputStream(s.getInputStream()));
    }
  }

  private static Response read(InputStream in) throws IOException {
    String status = line(in);
    if (status == null || !status.startsWith("HTTP/1.") || status.length() < 12) {
      throw new IOException("not an HTTP/1.x response: " + status);
    }
    int code = Integer.parseInt(status.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
      int colon = h.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = h.substring(colon + 1).trim();
      if (name.equals("content-length")) {
        length = Long.parseLong(value);
      } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
        chunked = true;
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (chunked) {
      for (String size = line(in); size != null; size = line(in)) {
        int n = Integer.parseInt(size.split(";", 2)[0].trim(), 16);
        if (n == 0) {
          break;
        }
        body.write(in.readNBytes(n));
        line(in);
      }
    } else if (length >= 0) {
      body.write(in.readNBytes((int) Math.min(length, 1 << 20)));
    } else if (code != 204 && code != 304) {
      body.write(in.readNBytes(1 << 20));
    }
    return new Response(code, body.toString(StandardCharsets.UTF_8));
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int c = in.read(); c != -1; c = in.read()) {
      if (c == '\n') {
        int n = sb.length();
        return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
      }
      sb.append((char) c);
    }
    return sb.isEmpty() ? null : sb.toString();
  }
}
