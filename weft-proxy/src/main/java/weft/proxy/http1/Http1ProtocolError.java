package weft.proxy.http1;

/**
 * Emitted by {@link Http1RequestDecoder}, once, when the downstream sent bytes that are not a valid
 * HTTP/1.1 request. The decoder ignores everything after it; the connection manager answers with
 * {@code status} and {@code connection: close} (after any responses still owed to earlier pipelined
 * requests) and then closes the connection, as Envoy does when {@code
 * stream_error_on_invalid_http_message} is false.
 *
 * @param status the HTTP status to answer: 400, 426, 431 or 501
 * @param details Envoy's response code details for the rejection, e.g. {@code http1.codec_error},
 *     {@code http1.invalid_characters}, {@code http1.headers_too_large}; for access logs and the
 *     {@code %RESPONSE_CODE_DETAILS%} operator
 */
public record Http1ProtocolError(int status, String details) {
  public Http1ProtocolError {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status: " + status + " (expected: 400-599)");
    }
    if (details == null || details.isEmpty()) {
      throw new IllegalArgumentException("details: must not be empty");
    }
  }
}
