package weft.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BootstrapTokensAndCertificateServiceTest {
  @TempDir Path dataDir;

  @Test
  void aCreatedTokenVerifiesToItsWorkloadAndOnlyItsHashIsStored() throws Exception {
    BootstrapTokens tokens = new BootstrapTokens(dataDir);
    String token = tokens.create("jobs/jobs-api");
    assertThat(token).matches("[A-Za-z0-9_-]{43}");
    assertThat(tokens.verify(token)).contains("jobs/jobs-api");
    try (var files = Files.walk(dataDir)) {
      assertThat(files.filter(Files::isRegularFile).map(p -> {
        try {
          return Files.readString(p);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      })).noneMatch(content -> content.contains(token));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "short", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "../../../../../../../../../../etc/passwd"})
  void unknownOrMalformedTokensAreRefused(String token) throws Exception {
    BootstrapTokens tokens = new BootstrapTokens(dataDir);
    tokens.create("jobs/jobs-api");
    assertThat(tokens.verify(token)).isEmpty();
  }

  @Test
  void concurrentTokenFileCallersForOneWorkloadAllGetOneValidFile() throws Exception {
    // the translate thread and the API ask at once (MeshEndToEndTest): once they collided on the temp file
    BootstrapTokens tokens = new BootstrapTokens(dataDir);
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
      for (int w = 0; w < 40; w++) {
        String workload = "jobs/w" + w;
        var start = new java.util.concurrent.CyclicBarrier(4);
        var calls = new java.util.ArrayList<java.util.concurrent.Future<Path>>();
        for (int i = 0; i < 4; i++) {
          calls.add(pool.submit(() -> {
            start.await();
            return tokens.tokenFile(workload);
          }));
        }
        for (var c : calls) {
          Path file = c.get();
          assertThat(tokens.verify(java.nio.file.Files.readString(file).strip())).contains(workload);
        }
      }
    }
  }

  @Test
  void tokenFileIsPrivateAndStableAcrossRestarts() throws Exception {
    Path file = new BootstrapTokens(dataDir).tokenFile("jobs/jobs-api");
    String token = Files.readString(file).strip();
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));

    BootstrapTokens restarted = new BootstrapTokens(dataDir);
    assertThat(restarted.tokenFile("jobs/jobs-api")).isEqualTo(file);
    assertThat(Files.readString(file).strip()).isEqualTo(token);
    assertThat(restarted.verify(token)).contains("jobs/jobs-api");
  }

  @Test
  void revokedTokensNoLongerVerify() throws Exception {
    BootstrapTokens tokens = new BootstrapTokens(dataDir);
    String a = tokens.create("jobs/jobs-api");
    String b = tokens.create("jobs/jobs-api");
    String other = tokens.create("tweet/tweet");
    assertThat(tokens.revoke("jobs/jobs-api")).isEqualTo(2);
    assertThat(tokens.verify(a)).isEmpty();
    assertThat(tokens.verify(b)).isEmpty();
    assertThat(tokens.verify(other)).contains("tweet/tweet");
  }

  @ParameterizedTest
  @ValueSource(strings = {"jobs", "../etc/passwd", "jobs/../../x", "Jobs/api", "a/b/c"})
  void workloadNamesMustBeNamespaceSlashName(String workload) throws Exception {
    BootstrapTokens tokens = new BootstrapTokens(dataDir);
    assertThatThrownBy(() -> tokens.create(workload))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected: ns/name");
  }

  @Test
  void certificateServiceSignsForTheTokensWorkloadIdentityOnly() throws Exception {
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(dataDir, Clock.systemUTC());
    BootstrapTokens tokens = new BootstrapTokens(dataDir);
    Map<String, String> ids = Map.of("jobs/jobs-api", "spiffe://cluster.local/ns/jobs/sa/jobs");
    CertificateService service = new CertificateService(ca, tokens,
        w -> Optional.ofNullable(ids.get(w)));
    String csr = TestPki.pem(TestPki.csr(TestPki.ec("secp256r1")));

    List<X509Certificate> chain =
        TestPki.parseChain(service.issue(tokens.create("jobs/jobs-api"), csr));
    assertThat(chain.getFirst().getSubjectAlternativeNames())
        .containsExactly(List.of(6, "spiffe://cluster.local/ns/jobs/sa/jobs"));
    TestPki.validate(chain, TestPki.parseChain(service.trustBundlePem()).getFirst());

    assertThatThrownBy(() -> service.issue("not-a-token", csr))
        .isInstanceOfSatisfying(IssuanceException.class,
            e -> assertThat(e.reason()).isEqualTo(IssuanceException.Reason.INVALID_TOKEN));
    String orphan = tokens.create("gone/workload");
    assertThatThrownBy(() -> service.issue(orphan, csr))
        .isInstanceOfSatisfying(IssuanceException.class,
            e -> assertThat(e.reason()).isEqualTo(IssuanceException.Reason.UNKNOWN_WORKLOAD));
  }
}
