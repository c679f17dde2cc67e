package weft.proxy.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BoringSSL through netty-tcnative when it loads on this machine, the JDK's TLS otherwise. The
 * system property {@code weft.tls.provider=jdk} forces the JDK provider (to compare, or to work
 * around a native problem).
 */
final class TlsProvider {
  private static final Logger log = LoggerFactory.getLogger(TlsProvider.class);

  static final SslProvider PROVIDER = choose();

  private TlsProvider() {}

  private static SslProvider choose() {
    if ("jdk".equalsIgnoreCase(System.getProperty("weft.tls.provider"))) {
      log.info("TLS provider: JDK (forced by -Dweft.tls.provider=jdk)");
      return SslProvider.JDK;
    }
    if (OpenSsl.isAvailable()) {
      log.info("TLS provider: OpenSSL ({})", OpenSsl.versionString());
      return SslProvider.OPENSSL;
    }
    log.info("TLS provider: JDK (netty-tcnative unavailable: {})", String.valueOf(OpenSsl.unavailabilityCause()));
    return SslProvider.JDK;
  }
}
