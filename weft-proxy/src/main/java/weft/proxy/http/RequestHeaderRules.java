package weft.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The connection manager's request header rules, applied before the filters, in Envoy's order:
 * request target form, path normalisation, hop-by-hop removal, {@code x-forwarded-for} /
 * {@code x-forwarded-proto} (conn_man/headers), {@code x-request-id}.
 */
final class RequestHeaderRules {
  // AsciiString constants: the header map hashes a String name on every look-up, an AsciiString
  // once
  static final AsciiString X_REQUEST_ID = AsciiString.cached("x-request-id");
  static final AsciiString XFF = AsciiString.cached("x-forwarded-for");
  static final AsciiString XFP = AsciiString.cached("x-forwarded-proto");
  private static final AsciiString HTTP = AsciiString.cached("http");
  private static final AsciiString HTTPS = AsciiString.cached("https");
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private RequestHeaderRules() {}

  /** A request the rules refuse: answered locally with {@code status}. */
  record Rejection(int status, String details) {}

  /** Applies the rules to {@code req} in place; null when the request may proceed. */
  static Rejection apply(HcmConfig cfg, DownstreamConnection conn, HttpRequest req, boolean http2,
      boolean upgrade) {
    HttpHeaders h = req.headers();
    if (h.size() > cfg.maxHeadersCount()) {
      return new Rejection(431, "too_many_headers");
    }
    String uri = req.uri();
    if (!http2 && (uri.startsWith("http://") || uri.startsWith("https://"))) {
      // absolute-form (RFC 9112 §3.2.2): the target's authority replaces Host
      int hostStart = uri.indexOf("://") + 3;
      int pathStart = uri.indexOf('/', hostStart);
      int queryStart = uri.indexOf('?', hostStart);
      int end = pathStart < 0 ? (queryStart < 0 ? uri.length() : queryStart) : pathStart;
      h.set(HttpHeaderNames.HOST, uri.substring(hostStart, end));
      String rest = uri.substring(end);
      uri = rest.isEmpty() || rest.charAt(0) == '?' ? "/" + rest : rest;
    }
    if (!h.contains(HttpHeaderNames.HOST)) {
      if (req.protocolVersion().minorVersion() == 1 || http2) {
        return new Rejection(400, "missing_host_header");
      }
    }
    boolean connect = req.method().name().equals("CONNECT");
    if (!connect) {
      if (uri.isEmpty() || uri.charAt(0) != '/') {
        if (!(uri.equals("*") && req.method().name().equals("OPTIONS"))) {
          return new Rejection(400, "invalid_path");
        }
      } else if (cfg.normalizePath() || cfg.mergeSlashes()) {
        String n = PathNormalizer.normalize(uri, cfg.normalizePath(), cfg.mergeSlashes());
        if (n == null) {
          return new Rejection(400, "path_normalization_failed");
        }
        uri = n;
      }
    }
    req.setUri(uri);
    HopByHop.strip(h, upgrade);
    String remoteIp = conn.remoteIp();
    if (cfg.useRemoteAddress()) {
      if (!cfg.skipXffAppend()) {
        String xff = h.get(XFF);
        h.set(XFF, xff == null || xff.isEmpty() ? remoteIp : xff + "," + remoteIp);
      }
      h.set(XFP, conn.isTls() ? HTTPS : HTTP);
    } else if (!h.contains(XFP)) {
      h.set(XFP, conn.isTls() ? HTTPS : HTTP);
    }
    if (cfg.generateRequestId() && !h.contains(X_REQUEST_ID)) {
      h.set(X_REQUEST_ID, newRequestId());
    }
    return null;
  }

  /**
   * The client address Envoy trusts (conn_man/headers "x-forwarded-for"): the connection's peer
   * with use_remote_address and no trusted hops, else the XFF entry {@code xff_num_trusted_hops}
   * from the right (counting the appended peer when use_remote_address is set).
   */
  static String trustedClientAddress(HcmConfig cfg, DownstreamConnection conn, HttpHeaders h) {
    String peer = conn.remoteIp();
    if (cfg.useRemoteAddress() && cfg.xffNumTrustedHops() == 0) {
      return peer;
    }
    String xff = h.get(XFF);
    if (xff == null || xff.isEmpty()) {
      return peer;
    }
    String[] parts = xff.split(",");
    int idx = parts.length - 1 - cfg.xffNumTrustedHops();
    return idx < 0 ? peer : parts[idx].trim();
  }

  /** A random (version 4) UUID, without SecureRandom: request ids need uniqueness, not secrecy. */
  static AsciiString newRequestId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    byte[] c = new byte[36];
    int p = 0;
    for (int i = 15; i >= 0; i--) {
      c[p++] = HEX[(int) (hi >>> (i * 4)) & 0xF];
      if (p == 8 || p == 13) {
        c[p++] = '-';
      }
    }
    c[p++] = '-';
    for (int i = 15; i >= 0; i--) {
      c[p++] = HEX[(int) (lo >>> (i * 4)) & 0xF];
      if (p == 23) {
        c[p++] = '-';
      }
    }
    return new AsciiString(c, false);
  }
}
