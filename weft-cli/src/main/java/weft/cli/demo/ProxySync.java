package weft.cli.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import weft.cli.demo.Demo.DemoException;
import weft.controlplane.ControlPlane;
import weft.controlplane.SnapshotTranslator;
import weft.controlplane.store.StoreState;
import weft.controlplane.xds.ProxySnapshot;
import weft.controlplane.store.SourceStatus;
import weft.proxy.xds.AdsClient;

/**
 * Waits until every proxy has applied and ACKed what the control plane serves it, so a stage's
 * requests see that stage's policy (Envoy's config is eventually consistent; the demo must not be).
 */
final class ProxySync {
  private static final long TIMEOUT_MILLIS = 45_000;

  private final ControlPlane cp;
  private final SnapshotTranslator translator;
  private final List<Sidecar> sidecars;
  private long expectedRevision = -1;
  private Map<String, ProxySnapshot> expected = Map.of();

  ProxySync(ControlPlane cp, SnapshotTranslator translator, List<Sidecar> sidecars) {
    this.cp = cp;
    this.translator = translator;
    this.sidecars = sidecars;
  }

  /**
   * Returns once the xDS version is above {@code afterVersion} (-1: any) and every proxy is ready
   * and up to date.
   */
  void await(long afterVersion) throws DemoException {
    long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
    while (true) {
      List<String> behind = behind(afterVersion);
      if (behind.isEmpty()) {
        return;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new DemoException("the proxies did not get their configuration within " + TIMEOUT_MILLIS / 1000 + " s: "
            + String.join("; ", behind) + problems(cp), null);
      }
      try {
        Thread.sleep(20); // polling the control plane's view; nothing to synchronise with here
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DemoException("interrupted while waiting for the proxies", e);
      }
    }
  }

  /**
   * Returns once the control plane has published a snapshot for every node: it writes the nodes'
   * bootstrap token files while translating, so they are complete only then.
   */
  static void awaitPublished(ControlPlane cp, List<String> nodes) throws DemoException {
    long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
    while (!nodes.stream().allMatch(n -> cp.xds().servedTo(n).isPresent())) {
      if (System.currentTimeMillis() > deadline) {
        throw new DemoException("the control plane published no configuration for " + nodes + " within "
            + TIMEOUT_MILLIS / 1000 + " s (see its log above)" + problems(cp), null);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DemoException("interrupted while waiting for the control plane", e);
      }
    }
  }

  private List<String> behind(long afterVersion) {
    List<String> out = new ArrayList<>();
    if (afterVersion >= 0 && cp.xds().version() <= afterVersion) {
      out.add("the control plane has not published the change yet (xds version " + cp.xds().version() + ")");
      return out;
    }
    StoreState state = cp.store().state();
    if (state.revision() != expectedRevision) {
      // What the store holds now, translated: a proxy still served the default (empty) snapshot or
      // an older revision is not done, even if it ACKed everything it was sent.
      expected = translator.translate(state.resources()).snapshots();
      expectedRevision = state.revision();
    }
    for (Sidecar s : sidecars) {
      Optional<Map<String, String>> served = cp.xds().servedVersions(s.nodeId());
      ProxySnapshot want = expected.get(s.nodeId());
      Optional<ProxySnapshot> have = cp.xds().servedTo(s.nodeId());
      if (served.isEmpty() || want == null || have.isEmpty() || !have.get().contentHash().equals(want.contentHash())) {
        out.add(s.nodeId() + " has not been published revision " + state.revision() + " yet");
      } else if (!inSync(s, served.get(), want)) {
        out.add(s.nodeId() + " has not ACKed version " + served.get().get(AdsClient.LDS) + nack(s));
      } else if (!s.serving(want.listeners().stream().map(l -> l.getName()).toList())) {
        out.add(s.nodeId() + " is not serving all of its listeners yet" + nack(s));
      } else if (s.drainingConnections() > 0) {
        // a kept-alive connection from before the change would still be judged by the old policy
        out.add(s.nodeId() + " is draining " + s.drainingConnections() + " connections of its previous config");
      }
    }
    return out;
  }

  /**
   * Whether the proxy ACKed every type its snapshot has resources of. An ACK alone can precede the
   * apply (a listener waits for its EDS/SDS resources, as Envoy's warming), so every type counts.
   */
  private static boolean inSync(Sidecar s, Map<String, String> served, ProxySnapshot want) {
    Map<String, Boolean> needed = Map.of(
        AdsClient.CDS, true,
        AdsClient.LDS, true,
        AdsClient.EDS, !want.endpoints().isEmpty(),
        AdsClient.RDS, !want.routes().isEmpty(),
        AdsClient.SDS, !want.secrets().isEmpty());
    for (Map.Entry<String, Boolean> e : needed.entrySet()) {
      if (e.getValue() && !s.ackedVersion(e.getKey()).equals(served.get(e.getKey()))) {
        return false;
      }
    }
    return s.ready();
  }

  private static String nack(Sidecar s) {
    return s.lastNack().isEmpty() ? "" : " (last NACK: " + s.lastNack() + ")";
  }

  private static String problems(ControlPlane cp) {
    Map<String, SourceStatus> failing = cp.store().state().failing();
    if (failing.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder("; files with errors:");
    failing.forEach((src, st) -> sb.append("\n  ").append(src).append(": ").append(String.join("; ", st.errors())));
    return sb.toString();
  }
}
