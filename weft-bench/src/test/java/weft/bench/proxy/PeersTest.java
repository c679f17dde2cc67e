package weft.bench.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the report says about peers and tools it did not use (CI has none of them). */
class PeersTest {
  @Test
  void eachMissingToolIsNamedWithItsDebianPackageAndWhatReplacesIt() {
    Peers none = new Peers(false, false, false, false, false);
    assertThat(none.skipped()).containsExactly(
        "nginx (backend, and the 1-worker one-hop peer): not installed (Debian package nginx-light or nginx); "
            + "the built-in Netty backend serves instead and there is no nginx row",
        "haproxy (the nbthread 1 one-hop peer): not installed (Debian package haproxy); no HAProxy row and no "
            + "weft/HAProxy ratios",
        "wrk (HTTP/1.1 closed-loop max throughput): not installed (Debian package wrk); the built-in Netty "
            + "closed-loop generator measures it instead",
        "h2load (h2c closed-loop max throughput): not installed (Debian package nghttp2-client); no h2c "
            + "max-throughput table");
    assertThat(none.markdown()).startsWith("## Peers and tools not used\n\n- nginx (backend");
  }

  @Test
  void peersLeftOutOnPurposeSaySoRatherThanNotInstalled() {
    Peers leftOut = Peers.detect(false);
    assertThat(leftOut).isEqualTo(new Peers(false, false, false, false, true));
    assertThat(leftOut.skipped()).hasSize(4).allSatisfy(s -> assertThat(s).contains(": left out (--peers none); "));
  }

  @Test
  void nothingIsListedWhenEveryPeerIsUsed() {
    Peers all = new Peers(true, true, true, true, false);
    assertThat(all.skipped()).isEmpty();
    assertThat(all.markdown()).isEmpty();
  }

  @Test
  void onlyTheMissingOnesAreListed() {
    assertThat(new Peers(true, false, true, false, false).skipped())
        .hasSize(2)
        .satisfiesExactly(h -> assertThat(h).startsWith("haproxy"), h -> assertThat(h).startsWith("h2load"));
  }

  @Test
  void debianSbinToolsAreFoundOffThePathAndRunByAbsolutePath() {
    // nginx and haproxy are in /usr/sbin on Debian; a regular user's PATH does not have it
    if (Peers.installed("nginx")) {
      assertThat(java.nio.file.Path.of(Peers.executable("nginx"))).isAbsolute().isExecutable();
    }
    assertThat(Peers.installed("no-such-tool-weft")).isFalse();
    assertThat(Peers.executable("no-such-tool-weft")).isEqualTo("no-such-tool-weft");
  }
}
