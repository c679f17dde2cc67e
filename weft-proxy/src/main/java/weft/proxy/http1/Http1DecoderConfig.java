package weft.proxy.http1;

/**
 * Limits and options of one listener's {@link Http1RequestDecoder}, after Envoy's
 * {@code HttpConnectionManager} fields of the same names. Immutable; shared by every connection
 * of the listener.
 *
 * @param maxRequestHeadersKb {@code max_request_headers_kb}: the request-line, header section and
 *     (separately) trailer section may each be at most this many KiB, else 431 (Envoy counts the
 *     URL too); 1 to 8192, default 60
 * @param maxHeadersCount {@code common_http_protocol_options.max_headers_count}: at most this many
 *     header (and, separately, trailer) field lines, else 431; at least 1, default 100
 * @param acceptHttp10 {@code http_protocol_options.accept_http_10}: accept HTTP/1.0 requests
 *     instead of answering 426
 * @param allowChunkedLength {@code http_protocol_options.allow_chunked_length}: a request with
 *     both {@code Transfer-Encoding: chunked} and {@code Content-Length} is framed by chunked and
 *     loses its Content-Length, instead of being rejected with 400
 */
public record Http1DecoderConfig(
    int maxRequestHeadersKb, int maxHeadersCount, boolean acceptHttp10, boolean allowChunkedLength) {

  /** Envoy's defaults: 60 KiB, 100 headers, no HTTP/1.0, TE with CL rejected. */
  public static final Http1DecoderConfig DEFAULTS = new Http1DecoderConfig(60, 100, false, false);

  public Http1DecoderConfig {
    if (maxRequestHeadersKb < 1 || maxRequestHeadersKb > 8192) {
      throw new IllegalArgumentException(
          "maxRequestHeadersKb: " + maxRequestHeadersKb + " (expected: 1-8192)");
    }
    if (maxHeadersCount < 1) {
      throw new IllegalArgumentException("maxHeadersCount: " + maxHeadersCount + " (expected: >= 1)");
    }
  }

  int maxHeadBytes() {
    return maxRequestHeadersKb * 1024;
  }
}
