/**
 * A strict, smuggling-safe HTTP/1.1 request decoder: RFC 9112 and RFC 9110 with Envoy's defaults
 * where the RFCs leave a choice.
 *
 * <p>{@link weft.proxy.http1.Http1RequestDecoder} goes where Netty's {@code HttpRequestDecoder}
 * would. Per request it emits one {@link weft.proxy.http1.Http1Request}, then its body as {@code
 * HttpContent}s and one {@code LastHttpContent} (chunked trailers on it when {@code
 * enable_trailers}). On bad input it emits one {@link weft.proxy.http1.Http1ProtocolError} and
 * ignores the rest; the connection manager answers that status with {@code connection: close},
 * after the responses it still owes earlier pipelined requests, and closes.
 *
 * <p>What the decoder already did to each request head, so the manager need not:
 *
 * <ul>
 *   <li>names lower-case; values without surrounding OWS and byte-exact ({@code AsciiString}, so
 *       obs-text survives Netty's encoder);
 *   <li>framing canonical: exactly one {@code transfer-encoding: chunked} or one {@code
 *       content-length} (no leading zeros), matching {@link
 *       weft.proxy.http1.Http1Request#framing()} and the body emitted after the head;
 *   <li>absolute-form turned into origin-form, with {@code host} replaced by the target's authority
 *       (RFC 9112 §3.2.2) and the scheme in {@code absoluteScheme()};
 *   <li>h2c upgrade headers removed ({@code upgrade: h2c}, {@code http2-settings}, their Connection
 *       tokens); fields nominated by {@code connection} removed, except framing fields, which stay
 *       because they describe the body (Envoy {@code sanitizeConnectionHeader});
 *   <li>{@code te} reduced to {@code trailers} when Connection nominated it.
 * </ul>
 *
 * <p>What the manager must still do when forwarding: remove hop-by-hop fields ({@code connection},
 * {@code keep-alive}, {@code proxy-connection}, {@code te} except {@code trailers}, {@code upgrade}
 * unless it tunnels, and any name still listed in {@code connection}) <em>but</em> keep or re-set
 * the framing of what it actually sends: Netty's {@code HttpRequestEncoder} frames a streamed body
 * only by {@code transfer-encoding: chunked} or {@code content-length}, so dropping {@code
 * transfer-encoding} as hop-by-hop without setting another framing would send the body unframed
 * (smuggling). {@code expect: 100-continue} is passed on: answering it is the manager's job. After
 * a request with {@code isUpgrade()} (CONNECT or an Upgrade) the decoder holds further bytes:
 * answer and close, or remove the decoder to tunnel (its buffered bytes then travel on as a {@code
 * ByteBuf}); keep auto-read off meanwhile, as held bytes are not bounded. For one request at a
 * time, put Netty's {@code FlowControlHandler} after the decoder with auto-read off, or queue as
 * the manager likes.
 *
 * <p>{@link weft.proxy.http1.Http1ResponseDecoder} is the upstream side: the same field-line rules
 * for responses, framing per RFC 9112 §6.3 (told the request method by the connection), an
 * {@link weft.proxy.http1.Http1ProtocolError} for anything it cannot frame.
 */
package weft.proxy.http1;
