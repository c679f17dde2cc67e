package weft.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5: "Ctrl-C stops every component cleanly; nothing is left listening". Runs {@code weft demo} as
 * its own process (Ctrl-C is a signal to a process; in this JVM it would stop the test run), sends it
 * SIGINT as a terminal does, and checks the exit status and that every listener it had is closed.
 * Every component runs in the demo's one process, so once it has exited the kernel has closed its
 * sockets whatever the code did: what can fail here is exiting at all (a non-daemon thread or a shutdown
 * hook that blocks), exiting with the status a shell expects, and taking the clean path (the control
 * plane's close runs and logs).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DemoInterruptTest {
  @TempDir Path dataDir;

  @Test
  void ctrlCStopsEveryComponentAndLeavesNothingListening() throws Exception {
    String net = "127.0." + ThreadLocalRandom.current().nextInt(100, 250);
    int apiPort = freePort();
    int xdsPort = freePort();
    String java = ProcessHandle.current().info().command().orElse("java");
    Process demo = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), "weft.cli.Main", "demo", "--no-traffic",
        "--data-dir", dataDir.toString(), "--network", net,
        "--api-port", Integer.toString(apiPort), "--xds-port", Integer.toString(xdsPort))
        .redirectErrorStream(true)
        .start();
    StringBuilder output = new StringBuilder();
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader = Thread.ofPlatform().daemon().start(() -> read(demo, output, ready));
    try {
      ready.get(90, TimeUnit.SECONDS);
      int jobsPort = output.toString().contains("uses port 8080 instead of 80") ? 8080 : 80;
      List<InetSocketAddress> listeners = new ArrayList<>(List.of(
          new InetSocketAddress("127.0.0.1", apiPort), new InetSocketAddress("127.0.0.1", xdsPort),
          new InetSocketAddress(net + ".1", jobsPort),
          new InetSocketAddress(net + ".1", jobsPort + Demo.APP_PORT_OFFSET)));
      for (int host = 1; host <= Demo.WORKLOADS.size(); host++) {
        listeners.add(new InetSocketAddress(net + "." + host, Demo.OUTBOUND_PORT));
      }
      for (InetSocketAddress a : listeners) {
        try (Socket s = new Socket()) {
          s.connect(a, 2000); // each one listens while the demo runs: the check below means something
        }
      }

      new ProcessBuilder("kill", "-INT", Long.toString(demo.pid())).inheritIO().start().waitFor();

      assertThat(demo.waitFor(30, TimeUnit.SECONDS)).as(output::toString).isTrue();
      reader.join(5000);
      assertThat(demo.exitValue()).as(output::toString).isEqualTo(130); // 128 + SIGINT, as a shell reports it
      assertThat(output.toString()).contains("control plane stopped");
      for (InetSocketAddress a : listeners) {
        assertThatThrownBy(() -> {
          try (Socket s = new Socket()) {
            s.connect(a, 2000);
          }
        }).as("%s still accepts connections after Ctrl-C", a).isInstanceOf(ConnectException.class);
      }
      DemoErrorsTest.assertLockFree(dataDir); // the lock file stays; the lock itself went with the process
    } finally {
      demo.destroyForcibly();
    }
  }

  private static void read(Process demo, StringBuilder output, CompletableFuture<Void> ready) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        synchronized (output) {
          output.append(line).append('\n');
        }
        if (line.startsWith("Ctrl-C stops everything")) {
          ready.complete(null);
        }
      }
      ready.completeExceptionally(new IllegalStateException("the demo ended before it was up:\n" + output));
    } catch (IOException e) {
      ready.completeExceptionally(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
