package weft.proxy.tls;

import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;

/**
 * The compiled, provider-independent part of a {@code CommonTlsContext}, shared by downstream
 * and upstream contexts. {@code key}/{@code chain} are null when no certificate is configured;
 * {@code trustedCas} is empty when peers are not verified.
 */
record CommonTls(
    PrivateKey key,
    List<X509Certificate> chain,
    List<X509Certificate> trustedCas,
    SanVerifier sans,
    boolean hasValidationContext,
    List<String> alpn,
    List<String> protocols,
    List<String> ciphers,
    List<String> curves) {

  /**
   * Compiles the common part; returns null after recording problems. {@code server} selects
   * Envoy's defaults: TLS 1.2 to 1.3 for servers, TLS 1.2 only for clients.
   */
  static CommonTls compile(
      CommonTlsContext c, ConfigPath path, ConfigProblems problems, Path baseDir, boolean server) {
    SupportedFields.check(c, path, problems, "tls_certificates", "validation_context",
        "combined_validation_context", "alpn_protocols", "tls_params",
        "tls_certificate_sds_secret_configs", "validation_context_sds_secret_config");
    int before = problems.list().size();
    if (c.getTlsCertificateSdsSecretConfigsCount() > 0) {
      problems.add(path.field("tls_certificate_sds_secret_configs"),
          "SDS is not supported yet (use tls_certificates with files or inline PEM)");
    }
    if (c.hasValidationContextSdsSecretConfig()) {
      problems.add(path.field("validation_context_sds_secret_config"),
          "SDS is not supported yet (use validation_context)");
    }

    PrivateKey key = null;
    List<X509Certificate> chain = null;
    if (c.getTlsCertificatesCount() > 1) {
      problems.add(path.field("tls_certificates"),
          c.getTlsCertificatesCount() + " certificates is not supported (expected: at most 1)");
    } else if (c.getTlsCertificatesCount() == 1) {
      ConfigPath p = path.field("tls_certificates").index(0);
      TlsCertificate tc = c.getTlsCertificates(0);
      SupportedFields.check(tc, p, problems, "certificate_chain", "private_key");
      if (!tc.hasCertificateChain() || !tc.hasPrivateKey()) {
        problems.add(p, "certificate_chain and private_key are both required");
      } else {
        chain = certificates(tc.getCertificateChain(), p.field("certificate_chain"), problems, baseDir);
        byte[] pem = DataSources.read(tc.getPrivateKey(), p.field("private_key"), problems, baseDir);
        if (pem != null) {
          try {
            key = Pem.privateKey(pem);
          } catch (GeneralSecurityException e) {
            problems.add(p.field("private_key"), "invalid private key: " + e.getMessage());
          }
        }
      }
    }

    List<X509Certificate> cas = List.of();
    SanVerifier sans = SanVerifier.NONE;
    boolean hasValidation = false;
    CertificateValidationContext cvc = null;
    ConfigPath cvcPath = null;
    if (c.hasValidationContext()) {
      cvc = c.getValidationContext();
      cvcPath = path.field("validation_context");
    } else if (c.hasCombinedValidationContext()) {
      ConfigPath cp = path.field("combined_validation_context");
      var combined = c.getCombinedValidationContext();
      SupportedFields.check(combined, cp, problems, "default_validation_context");
      cvc = combined.getDefaultValidationContext();
      cvcPath = cp.field("default_validation_context");
    }
    if (cvc != null) {
      hasValidation = true;
      SupportedFields.check(cvc, cvcPath, problems,
          "trusted_ca", "match_typed_subject_alt_names", "match_subject_alt_names");
      if (cvc.hasTrustedCa()) {
        List<X509Certificate> read = certificates(cvc.getTrustedCa(), cvcPath.field("trusted_ca"), problems, baseDir);
        cas = read == null ? List.of() : read;
      }
      SanVerifier compiled = SanVerifier.compile(cvc, cvcPath, problems);
      sans = compiled == null ? SanVerifier.NONE : compiled;
      if (!sans.isEmpty() && !cvc.hasTrustedCa()) {
        // Envoy: "SAN-based verification of peer certificates without trusted CA is insecure and not allowed"
        problems.add(cvcPath.field("trusted_ca"),
            "is required when subject alt name matchers are set (SAN checks without a trusted CA are insecure)");
      }
    }

    List<String> alpn = List.copyOf(c.getAlpnProtocolsList());
    List<String> protocols = server ? List.of("TLSv1.3", "TLSv1.2") : List.of("TLSv1.2");
    List<String> ciphers = null;
    List<String> curves = List.of();
    if (c.hasTlsParams()) {
      ConfigPath p = path.field("tls_params");
      TlsParameters tp = c.getTlsParams();
      SupportedFields.check(tp, p, problems,
          "tls_minimum_protocol_version", "tls_maximum_protocol_version", "cipher_suites", "ecdh_curves");
      int min = version(tp.getTlsMinimumProtocolVersion(), 2, p.field("tls_minimum_protocol_version"), problems);
      int max = version(tp.getTlsMaximumProtocolVersion(), server ? 3 : 2,
          p.field("tls_maximum_protocol_version"), problems);
      if (min > max) {
        problems.add(p, "tls_minimum_protocol_version TLSv1_" + min
            + " is above tls_maximum_protocol_version TLSv1_" + max);
      }
      List<String> ps = new ArrayList<>();
      for (int v = max; v >= min; v--) {
        ps.add("TLSv1." + v);
      }
      protocols = List.copyOf(ps);
      if (tp.getCipherSuitesCount() > 0) {
        ciphers = CipherSuites.translate(tp.getCipherSuitesList(), p.field("cipher_suites"), problems);
      }
      if (tp.getEcdhCurvesCount() > 0) {
        if (TlsProvider.PROVIDER != SslProvider.OPENSSL) {
          problems.add(p.field("ecdh_curves"), "is supported only with the OpenSSL (BoringSSL) provider, "
              + "which is unavailable here");
        }
        curves = List.copyOf(tp.getEcdhCurvesList());
      }
    }
    if (problems.list().size() > before) {
      return null;
    }
    return new CommonTls(key, chain, cas, sans, hasValidation, alpn, protocols, ciphers, curves);
  }

  /** 2 for TLSv1_2, 3 for TLSv1_3; TLS_AUTO gives {@code dflt}; TLS 1.0/1.1 are refused. */
  private static int version(TlsParameters.TlsProtocol v, int dflt, ConfigPath path, ConfigProblems problems) {
    return switch (v) {
      case TLS_AUTO -> dflt;
      case TLSv1_2 -> 2;
      case TLSv1_3 -> 3;
      case TLSv1_0, TLSv1_1, UNRECOGNIZED -> {
        problems.add(path, v + " is not supported (expected: TLSv1_2 or TLSv1_3)");
        yield dflt;
      }
    };
  }

  private static List<X509Certificate> certificates(
      io.envoyproxy.envoy.config.core.v3.DataSource ds, ConfigPath path, ConfigProblems problems, Path baseDir) {
    byte[] pem = DataSources.read(ds, path, problems, baseDir);
    if (pem == null) {
      return null;
    }
    try {
      return List.copyOf(Pem.certificates(pem));
    } catch (GeneralSecurityException e) {
      problems.add(path, "invalid certificate PEM: " + e.getMessage());
      return null;
    }
  }

  /** Applies everything but key material and client auth to a Netty builder. */
  SslContextBuilder configure(SslContextBuilder b) throws GeneralSecurityException {
    b.sslProvider(TlsProvider.PROVIDER).protocols(protocols);
    if (ciphers != null) {
      b.ciphers(ciphers);
    }
    if (!curves.isEmpty()) {
      b.option(OpenSslContextOption.GROUPS, curves.toArray(String[]::new));
    }
    if (!alpn.isEmpty()) {
      b.applicationProtocolConfig(new ApplicationProtocolConfig(
          ApplicationProtocolConfig.Protocol.ALPN,
          // no overlap: carry on without ALPN, as Envoy (BoringSSL's SSL_TLSEXT_ERR_NOACK)
          ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
          ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
          alpn));
    }
    return b;
  }

  VerifyingTrustManager trustManager() throws GeneralSecurityException {
    return VerifyingTrustManager.create(trustedCas, sans);
  }
}
