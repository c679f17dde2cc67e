package weft.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblem;
import weft.proxy.config.ConfigProblems;

/** Translation of TLS contexts: what compiles and how each refusal names its field. */
class TlsConfigTest {
  @TempDir static Path dir;
  static TestPki pki;
  static TestPki.Issued leaf;

  @BeforeAll
  static void pki() {
    pki = TestPki.create(dir);
    leaf = pki.issue("leaf", TestPki.KeyType.EC_P256, "dns:leaf.example.com");
  }

  static DataSource file(String name) {
    return DataSource.newBuilder().setFilename(name).build();
  }

  static TlsCertificate leafCert() {
    return TlsCertificate.newBuilder().setCertificateChain(file("leaf.crt.pem")).setPrivateKey(file("leaf.key.pem")).build();
  }

  static CommonTlsContext.Builder common() {
    return CommonTlsContext.newBuilder().addTlsCertificates(leafCert());
  }

  static SubjectAltNameMatcher dnsSan(String exact) {
    return SubjectAltNameMatcher.newBuilder().setSanType(SubjectAltNameMatcher.SanType.DNS)
        .setMatcher(StringMatcher.newBuilder().setExact(exact)).build();
  }

  static List<String> downstreamProblems(DownstreamTlsContext c) {
    ConfigProblems problems = new ConfigProblems();
    DownstreamTls tls = DownstreamTls.compile(c, ConfigPath.of("tls"), problems, dir);
    assertThat(tls == null).isEqualTo(!problems.isEmpty());
    return problems.list().stream().map(ConfigProblem::toString).toList();
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of("SDS comes with the control plane", DownstreamTlsContext.newBuilder().setCommonTlsContext(
            CommonTlsContext.newBuilder().addTlsCertificateSdsSecretConfigs(SdsSecretConfig.newBuilder().setName("default"))).build(),
            "tls.common_tls_context.tls_certificate_sds_secret_configs: SDS is not supported yet"),
        Arguments.of("a server needs a certificate", DownstreamTlsContext.newBuilder().setCommonTlsContext(
            CommonTlsContext.newBuilder()).build(),
            "tls.common_tls_context.tls_certificates: a certificate is required"),
        Arguments.of("missing file names the resolved path", DownstreamTlsContext.newBuilder().setCommonTlsContext(
            CommonTlsContext.newBuilder().addTlsCertificates(leafCert().toBuilder().setCertificateChain(file("nope.pem")))).build(),
            "tls.common_tls_context.tls_certificates[0].certificate_chain.filename: cannot read " + dir.resolve("nope.pem") + ": no such file"),
        Arguments.of("TLS 1.0 is refused", DownstreamTlsContext.newBuilder().setCommonTlsContext(common().setTlsParams(
            TlsParameters.newBuilder().setTlsMinimumProtocolVersion(TlsParameters.TlsProtocol.TLSv1_0))).build(),
            "tls.common_tls_context.tls_params.tls_minimum_protocol_version: TLSv1_0 is not supported (expected: TLSv1_2 or TLSv1_3)"),
        Arguments.of("min above max", DownstreamTlsContext.newBuilder().setCommonTlsContext(common().setTlsParams(
            TlsParameters.newBuilder().setTlsMinimumProtocolVersion(TlsParameters.TlsProtocol.TLSv1_3)
                .setTlsMaximumProtocolVersion(TlsParameters.TlsProtocol.TLSv1_2))).build(),
            "tls.common_tls_context.tls_params: tls_minimum_protocol_version TLSv1_3 is above tls_maximum_protocol_version TLSv1_2"),
        Arguments.of("unknown cipher suite", DownstreamTlsContext.newBuilder().setCommonTlsContext(common().setTlsParams(
            TlsParameters.newBuilder().addCipherSuites("RC4-MD5"))).build(),
            "tls.common_tls_context.tls_params.cipher_suites[0]: cipher suite \"RC4-MD5\" is not supported"),
        Arguments.of("SAN checks need a trusted CA (Envoy: insecure, not allowed)", DownstreamTlsContext.newBuilder()
            .setCommonTlsContext(common().setValidationContext(CertificateValidationContext.newBuilder()
                .addMatchTypedSubjectAltNames(dnsSan("a.example.com")))).build(),
            "tls.common_tls_context.validation_context.trusted_ca: is required when subject alt name matchers are set"),
        Arguments.of("OTHER_NAME SANs are not supported", DownstreamTlsContext.newBuilder()
            .setCommonTlsContext(common().setValidationContext(CertificateValidationContext.newBuilder()
                .setTrustedCa(file("ca.crt.pem")).addMatchTypedSubjectAltNames(dnsSan("x").toBuilder()
                    .setSanType(SubjectAltNameMatcher.SanType.OTHER_NAME)))).build(),
            "tls.common_tls_context.validation_context.match_typed_subject_alt_names[0].san_type: OTHER_NAME is not supported"),
        Arguments.of("require_client_certificate needs a CA", DownstreamTlsContext.newBuilder()
            .setRequireClientCertificate(BoolValue.of(true)).setCommonTlsContext(common()).build(),
            "tls.require_client_certificate: needs common_tls_context.validation_context.trusted_ca"),
        Arguments.of("unimplemented fields are named", DownstreamTlsContext.newBuilder()
            .setRequireSni(BoolValue.of(true)).setCommonTlsContext(common()).build(),
            "tls.require_sni: field is not supported by weft"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refusesWithTheFieldPath(String why, DownstreamTlsContext c, String expected) {
    assertThat(downstreamProblems(c)).anySatisfy(p -> assertThat(p).startsWith(expected));
  }

  @Test
  void compilesAServerContextFromRelativeFiles() {
    assertThat(downstreamProblems(DownstreamTlsContext.newBuilder().setCommonTlsContext(common()
        .addAlpnProtocols("h2").setTlsParams(TlsParameters.newBuilder()
            .addCipherSuites("[ECDHE-ECDSA-AES128-GCM-SHA256|ECDHE-ECDSA-CHACHA20-POLY1305]")
            .addCipherSuites("ECDHE-RSA-AES256-GCM-SHA384"))).build())).isEmpty();
  }

  @Test
  void ecdhCurvesNeedBoringSsl() {
    List<String> problems = downstreamProblems(DownstreamTlsContext.newBuilder().setCommonTlsContext(common()
        .setTlsParams(TlsParameters.newBuilder().addEcdhCurves("X25519").addEcdhCurves("P-256"))).build());
    if (TlsProvider.PROVIDER == io.netty.handler.ssl.SslProvider.OPENSSL) {
      assertThat(problems).isEmpty();
      assertThat(downstreamProblems(DownstreamTlsContext.newBuilder().setCommonTlsContext(common()
          .setTlsParams(TlsParameters.newBuilder().addEcdhCurves("P-999"))).build()))
          .singleElement().asString().startsWith("tls: cannot build the TLS context");
    } else {
      assertThat(problems).containsExactly("tls.common_tls_context.tls_params.ecdh_curves: is supported only with "
          + "the OpenSSL (BoringSSL) provider, which is unavailable here");
    }
  }

  @Test
  void acceptsInlinePemAndLegacyPkcs1AndSec1Keys() throws Exception {
    for (TestPki.KeyType type : TestPki.KeyType.values()) {
      TestPki.Issued i = pki.issue("legacy-" + type, type, "dns:x.example.com");
      StringWriter legacyKey = new StringWriter();
      if (i.key() instanceof java.security.interfaces.ECPrivateKey ec) {
        // SEC1 with named-curve parameters, as `openssl ecparam -genkey` writes it
        legacyKey.write(TestPki.pem("EC PRIVATE KEY", new org.bouncycastle.asn1.sec.ECPrivateKey(
            256, ec.getS(), org.bouncycastle.asn1.sec.SECObjectIdentifiers.secp256r1).getEncoded()));
      } else {
        try (JcaPEMWriter w = new JcaPEMWriter(legacyKey)) {
          w.writeObject(i.key()); // PKCS#1 "RSA PRIVATE KEY", as openssl genrsa 1.x wrote it
        }
      }
      assertThat(legacyKey.toString()).contains(type == TestPki.KeyType.RSA_2048 ? "RSA PRIVATE KEY" : "EC PRIVATE KEY");
      TlsCertificate inline = TlsCertificate.newBuilder()
          .setCertificateChain(DataSource.newBuilder().setInlineString(Files.readString(i.certPem())))
          .setPrivateKey(DataSource.newBuilder().setInlineString(legacyKey.toString())).build();
      assertThat(downstreamProblems(DownstreamTlsContext.newBuilder()
          .setCommonTlsContext(CommonTlsContext.newBuilder().addTlsCertificates(inline)).build())).isEmpty();
      java.security.PrivateKey read = Pem.privateKey(legacyKey.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      if (read instanceof java.security.interfaces.ECPrivateKey ec) {
        assertThat(ec.getS()).isEqualTo(((java.security.interfaces.ECPrivateKey) i.key()).getS());
      } else {
        assertThat(read.getEncoded()).isEqualTo(i.key().getEncoded());
      }
    }
  }

  @Test
  void transportSocketSelectsTlsByTypeAndRawBufferMeansPlaintext() {
    ConfigProblems problems = new ConfigProblems();
    TransportSocket tls = TransportSocket.newBuilder().setName("envoy.transport_sockets.tls")
        .setTypedConfig(Any.pack(UpstreamTlsContext.newBuilder().setSni("a.example.com").build())).build();
    assertThat(UpstreamTls.compile(tls, ConfigPath.of("ts"), problems, dir).sni()).isEqualTo("a.example.com");
    TransportSocket raw = TransportSocket.newBuilder().setName("envoy.transport_sockets.raw_buffer").build();
    assertThat(UpstreamTls.compile(raw, ConfigPath.of("ts"), problems, dir)).isNull();
    assertThat(problems.list()).isEmpty();
  }

  @Test
  void transportSocketOfAnotherKindIsUnsupported() {
    ConfigProblems problems = new ConfigProblems();
    TransportSocket alts = TransportSocket.newBuilder().setName("envoy.transport_sockets.alts").build();
    assertThat(UpstreamTls.compile(alts, ConfigPath.of("ts"), problems, dir)).isNull();
    TransportSocket wrongType = TransportSocket.newBuilder().setName("envoy.transport_sockets.tls")
        .setTypedConfig(Any.pack(DownstreamTlsContext.getDefaultInstance())).build();
    assertThat(UpstreamTls.compile(wrongType, ConfigPath.of("ts"), problems, dir)).isNull();
    assertThat(problems.list()).map(ConfigProblem::toString).containsExactly(
        "ts.name: transport socket \"envoy.transport_sockets.alts\" is not supported",
        "ts.typed_config: transport socket \"envoy.transport_sockets.tls\" of type "
            + "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext is not supported "
            + "(expected: envoy.transport_sockets.tls with envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext, "
            + "or envoy.transport_sockets.raw_buffer)");
  }
}
