package weft.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher.SanType;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;

/** CertificateValidationContext.match_typed_subject_alt_names / match_subject_alt_names semantics. */
class SanVerifierTest {
  @TempDir static Path dir;
  static TestPki.Issued cert;

  @BeforeAll
  static void pki() {
    cert = TestPki.create(dir).issue("svc", TestPki.KeyType.EC_P256,
        "dns:*.example.com", "dns:api.weft.dev", "uri:spiffe://cluster.local/ns/default/sa/tweet",
        "ip:::1", "ip:10.0.0.7", "email:ops@weft.dev");
  }

  static SanVerifier verifier(String field, String type, String kind, String value) {
    StringMatcher.Builder m = StringMatcher.newBuilder();
    switch (kind) {
      case "exact" -> m.setExact(value);
      case "prefix" -> m.setPrefix(value);
      case "suffix" -> m.setSuffix(value);
      default -> m.getSafeRegexBuilder().setRegex(value);
    }
    CertificateValidationContext.Builder c = CertificateValidationContext.newBuilder();
    if (field.equals("typed")) {
      c.addMatchTypedSubjectAltNames(SubjectAltNameMatcher.newBuilder().setSanType(SanType.valueOf(type)).setMatcher(m));
    } else {
      c.addMatchSubjectAltNames(m);
    }
    ConfigProblems problems = new ConfigProblems();
    SanVerifier v = SanVerifier.compile(c.build(), ConfigPath.of("vc"), problems);
    assertThat(problems.list()).isEmpty();
    return v;
  }

  @ParameterizedTest(name = "{0} {1} {2}:{3} -> {4}")
  @CsvSource({
    // typed matchers only look at SANs of their type
    "typed, URI, exact, spiffe://cluster.local/ns/default/sa/tweet, true",
    "typed, URI, prefix, spiffe://cluster.local/ns/default/, true",
    "typed, URI, exact, spiffe://cluster.local/ns/default/sa/jobs, false",
    "typed, DNS, exact, spiffe://cluster.local/ns/default/sa/tweet, false",
    "typed, DNS, exact, api.weft.dev, true",
    "typed, DNS, exact, API.WEFT.DEV, true",
    // Envoy dnsNameMatch: an exact DNS matcher is covered by a one-label wildcard SAN
    "typed, DNS, exact, foo.example.com, true",
    "typed, DNS, exact, a.b.example.com, false",
    "typed, DNS, exact, example.com, false",
    "typed, DNS, suffix, .example.com, true",
    "typed, IP_ADDRESS, exact, ::1, true",
    "typed, IP_ADDRESS, exact, 10.0.0.7, true",
    "typed, IP_ADDRESS, exact, 10.0.0.8, false",
    "typed, EMAIL, exact, ops@weft.dev, true",
    "typed, URI, regex, spiffe://cluster\\.local/ns/[a-z]+/sa/tweet, true",
    // legacy match_subject_alt_names: any SAN type
    "legacy, -, exact, spiffe://cluster.local/ns/default/sa/tweet, true",
    "legacy, -, exact, 10.0.0.7, true",
    "legacy, -, exact, nobody, false",
  })
  void matchesLikeEnvoy(String field, String type, String kind, String value, boolean matches) {
    SanVerifier v = verifier(field, type, kind, value);
    if (matches) {
      assertThatCode(() -> v.verify(cert.cert())).doesNotThrowAnyException();
    } else {
      assertThatThrownBy(() -> v.verify(cert.cert())).isInstanceOf(CertificateException.class)
          .hasMessageContaining("match none of");
    }
  }
}
