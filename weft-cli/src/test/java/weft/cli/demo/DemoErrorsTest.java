package weft.cli.demo;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import weft.cli.demo.Demo.DemoException;

/** The demo's start-up refusals say what is wrong and what to change. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DemoErrorsTest {
  @TempDir Path dataDir;

  private static String randomNet() {
    return "127.0." + ThreadLocalRandom.current().nextInt(100, 250);
  }

  @Test
  void aTakenSidecarPortNamesTheAddressTheListenerAndTheFlag() throws Exception {
    String net = randomNet();
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getByName(net + ".2"), Demo.OUTBOUND_PORT));
      assertThatThrownBy(() -> Demo.start(new DemoOptions(dataDir, 0, false, net, 0, 0, 5), line -> {}))
          .isInstanceOf(DemoException.class)
          .hasMessageContaining("port 15001 on " + net + ".2 (tweet's outbound listener) is already in use")
          .hasMessageContaining("--network");
    }
    assertLockFree(dataDir); // the refused demo released its lock: a later one may use the data dir
  }

  /** No process holds {@code dataDir}'s demo lock (the file may exist: it is a lock, not a marker). */
  static void assertLockFree(Path dataDir) throws java.io.IOException {
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dataDir.resolve("demo.lock"),
        java.nio.file.StandardOpenOption.WRITE)) {
      org.assertj.core.api.Assertions.assertThat(ch.tryLock()).isNotNull();
    }
  }

  @Test
  void aTakenControlPlanePortNamesItAndTheFlag() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      assertThatThrownBy(() -> Demo.start(new DemoOptions(dataDir, 0, false, randomNet(), port, 0, 5), line -> {}))
          .isInstanceOf(DemoException.class)
          .hasMessageContaining("the control plane's api port " + port + " on 127.0.0.1 is in use")
          .hasMessageContaining("--api-port");
    }
  }
}
