package weft.cli.demo;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How to run the demo.
 *
 * @param dataDir holds the config dir, the control plane's data and the lock file
 * @param stage 0 walks stages 1 to 3; 1..3 goes straight to that stage
 * @param traffic whether the clients send requests (stage walk and tweet's periodic fetch)
 * @param net the workloads' loopback network, first three octets ({@code 127.0.20})
 * @param apiPort the control plane's HTTP API port (0: any free port)
 * @param xdsPort the control plane's xDS port (0: any free port)
 * @param tweetPeriodSeconds how often tweet fetches a job
 */
public record DemoOptions(Path dataDir, int stage, boolean traffic, String net, int apiPort, int xdsPort,
    long tweetPeriodSeconds) {
  public static final String DEFAULT_NET = "127.0.20";

  public DemoOptions {
    Objects.requireNonNull(dataDir, "dataDir");
    if (stage < 0 || stage > DemoResources.STAGES) {
      throw new IllegalArgumentException("--stage " + stage + " (expected: 1.." + DemoResources.STAGES + ")");
    }
    if (!net.matches("127\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])")) {
      throw new IllegalArgumentException("--network " + net + " (expected: 127.X.Y, a loopback /24)");
    }
  }
}
