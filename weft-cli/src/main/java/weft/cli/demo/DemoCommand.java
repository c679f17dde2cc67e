package weft.cli.demo;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import weft.cli.demo.Demo.DemoException;

/** {@code weft demo}: the least-privilege story, live on one machine. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the control plane, three workloads (jobs-api, tweet, recruiter) and a weft proxy for each, on",
      "loopback addresses 127.0.20.1-3, then walks three stages: no policy, an L3/L4 policy, least",
      "privilege at L7. Keeps running until Ctrl-C, so you can explore with the other commands."
    },
    footer = {
      "",
      "Examples:",
      "  weft demo                         walk the three stages, then keep running",
      "  weft demo --stage 3 --no-traffic  go straight to the L7 policy, clients idle",
      "  weft demo --data-dir /tmp/d2 --network 127.0.21 --api-port 15100 --xds-port 15110",
      "                                    a second demo beside the first"
    })
public final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--stage", paramLabel = "N", defaultValue = "0",
      description = "Go straight to stage N (1: no policy, 2: L3/L4, 3: L7) instead of walking 1 to 3.")
  int stage;

  @Option(names = "--no-traffic", description = "Leave the clients idle: no stage requests, no periodic tweets.")
  boolean noTraffic;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Config dir, CA, tokens and the lock live here (default: ${DEFAULT-VALUE}).",
      defaultValue = "${sys:java.io.tmpdir}/weft-demo")
  Path dataDir;

  @Option(names = "--network", paramLabel = "127.X.Y", defaultValue = DemoOptions.DEFAULT_NET,
      description = "Loopback /24 for the workloads' addresses (default: ${DEFAULT-VALUE}).")
  String net;

  @Option(names = "--api-port", defaultValue = "15000", description = "Control plane HTTP API port (default: ${DEFAULT-VALUE}).")
  int apiPort;

  @Option(names = "--xds-port", defaultValue = "15010", description = "Control plane xDS port (default: ${DEFAULT-VALUE}).")
  int xdsPort;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    DemoOptions options;
    try {
      options = new DemoOptions(dataDir, stage, !noTraffic, net, apiPort, xdsPort, 5);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
    java.util.function.Consumer<String> print = line -> {
      out.println(line);
      out.flush();
    };
    out.println("weft demo: starting the control plane, jobs-api, tweet, recruiter and their proxies ...");
    out.flush();
    Demo demo;
    try {
      demo = Demo.start(options, print);
    } catch (DemoException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      demo.close();
      stopped.countDown();
    }, "weft-demo-shutdown"));
    try {
      walk(demo, options, print);
      Explore.print(demo, options, print);
      stopped.await();
    } catch (DemoException e) {
      err.println("error: " + e.getMessage());
      demo.close();
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      demo.close();
    }
    return 0;
  }

  /** The stage walk: 1 to 3, or only the stage asked for. */
  static void walk(Demo demo, DemoOptions options, java.util.function.Consumer<String> out) throws DemoException {
    int first = options.stage() == 0 ? 1 : options.stage();
    int last = options.stage() == 0 ? DemoResources.STAGES : options.stage();
    for (int s = first; s <= last; s++) {
      demo.stage(s);
      if (options.traffic()) {
        StageWalk.run(demo, out);
      } else {
        out.accept("== " + StageWalk.title(s, demo.resources().port()) + " (in force; --no-traffic: no requests sent)");
      }
    }
  }
}
