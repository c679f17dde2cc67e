package weft.proxy.tls;

import io.netty.handler.ssl.SslHandler;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLPeerUnverifiedException;
import weft.proxy.observe.Counter;
import weft.proxy.observe.StatsStore;

/**
 * Envoy's TLS handshake stats under a scope, e.g. {@code listener.127.0.0.1_443.ssl.*} or
 * {@code cluster.backend.ssl.*}: {@code handshake}, {@code connection_error},
 * {@code fail_verify_san} (a SAN matcher refused the peer), {@code fail_verify_error} (our chain
 * validation failed, e.g. an untrusted CA), {@code fail_verify_no_cert} (a required client
 * certificate did not come; a client whose CA the server does not list usually sends none), {@code no_certificate} (a handshake without a peer certificate). Make one per
 * listener or cluster and {@link #observe} each new handler.
 */
public record TlsStats(Counter handshake, Counter connectionError, Counter failVerifySan,
    Counter failVerifyError, Counter failVerifyNoCert, Counter noCertificate) {

  /** {@code scope} without the trailing dot, e.g. {@code cluster.backend}. */
  public static TlsStats create(StatsStore store, String scope) {
    String p = scope + ".ssl.";
    return new TlsStats(store.counter(p + "handshake"), store.counter(p + "connection_error"),
        store.counter(p + "fail_verify_san"), store.counter(p + "fail_verify_error"),
        store.counter(p + "fail_verify_no_cert"), store.counter(p + "no_certificate"));
  }

  /** Counts how {@code ssl}'s handshake ends; returns it for chaining. Call on its event loop. */
  public SslHandler observe(SslHandler ssl) {
    ssl.handshakeFuture().addListener(f -> {
      if (f.isSuccess()) {
        handshake.inc();
        try {
          ssl.engine().getSession().getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
          noCertificate.inc();
        }
        return;
      }
      boolean verifyError = false;
      for (Throwable t = f.cause(); t != null; t = t.getCause()) {
        String m = String.valueOf(t.getMessage());
        if (t instanceof CertificateException && m.contains(SanVerifier.NO_MATCH)) {
          failVerifySan.inc();
          return;
        }
        // BoringSSL's and the JDK's words for "a certificate was required and none came"
        if (m.contains("PEER_DID_NOT_RETURN_A_CERTIFICATE") || m.contains("Empty client certificate chain")) {
          failVerifyNoCert.inc();
          return;
        }
        verifyError |= t instanceof CertificateException || t instanceof GeneralSecurityException;
      }
      (verifyError ? failVerifyError : connectionError).inc();
    });
    return ssl;
  }
}
