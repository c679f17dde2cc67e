package weft.proxy.http1;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Optional;

/**
 * A request head decoded by {@link Http1RequestDecoder}: a plain Netty {@link DefaultHttpRequest}
 * plus what the decoder learned from the wire that its headers no longer say.
 *
 * <p>Its headers are canonical: names lower-case, values without surrounding whitespace, at most
 * one {@code content-length} or exactly one {@code transfer-encoding: chunked}, and these describe
 * exactly the body the decoder emits after this head ({@link #framing()}). {@link #uri()} is
 * origin-form ({@code /path?query}), {@code *} or, for CONNECT, {@code host:port}; an absolute-form
 * target was split into {@link #uri()}, {@code host} and {@link #absoluteScheme()}.
 */
public final class Http1Request extends DefaultHttpRequest {

  /** RFC 9112 §3.2: the form the request-target had on the wire. */
  public enum TargetForm {
    ORIGIN,
    ABSOLUTE,
    AUTHORITY,
    ASTERISK
  }

  /** How the body that follows is delimited on the wire (RFC 9112 §6.3). */
  public enum Framing {
    /** No body: the {@link io.netty.handler.codec.http.LastHttpContent} follows at once. */
    NONE,
    CONTENT_LENGTH,
    CHUNKED
  }

  private final TargetForm targetForm;
  private final String absoluteScheme;
  private final Framing framing;
  private final long contentLength;
  private final boolean upgrade;

  Http1Request(
      HttpVersion version,
      HttpMethod method,
      String uri,
      HttpHeaders headers,
      TargetForm targetForm,
      String absoluteScheme,
      Framing framing,
      long contentLength,
      boolean upgrade) {
    super(version, method, uri, headers);
    this.targetForm = targetForm;
    this.absoluteScheme = absoluteScheme;
    this.framing = framing;
    this.contentLength = contentLength;
    this.upgrade = upgrade;
  }

  public TargetForm targetForm() {
    return targetForm;
  }

  /** {@code http} or {@code https} (lower-case) when the target was absolute-form. */
  public Optional<String> absoluteScheme() {
    return Optional.ofNullable(absoluteScheme);
  }

  public Framing framing() {
    return framing;
  }

  /** The body length for {@link Framing#CONTENT_LENGTH}, 0 for NONE, -1 for CHUNKED. */
  public long contentLength() {
    return contentLength;
  }

  /**
   * True for CONNECT and for an {@code Upgrade} request (a {@code connection: upgrade} token and an
   * {@code upgrade} header; h2c upgrades were already stripped). After this request's
   * LastHttpContent the decoder holds all further bytes: the manager either answers and closes, or
   * removes the decoder from the pipeline to tunnel (the held bytes are then passed on as a
   * ByteBuf).
   */
  public boolean isUpgrade() {
    return upgrade;
  }
}
