package weft.controlplane.flows;

import java.util.ArrayList;
import java.util.List;

/**
 * The Envoy response flags that make a flow an {@link FlowRecord.Verdict#ERROR}: the upstream could
 * not be reached or did not answer (Envoy's short names, as in access logs). Flags about the
 * downstream going away (DC, DR) or injected faults are not errors of the mesh.
 */
final class ResponseFlags {
  private ResponseFlags() {}

  static List<String> errors(io.envoyproxy.envoy.data.accesslog.v3.ResponseFlags f) {
    List<String> out = new ArrayList<>(2);
    if (f.getNoHealthyUpstream()) out.add("UH");
    if (f.getUpstreamConnectionFailure()) out.add("UF");
    if (f.getUpstreamOverflow()) out.add("UO");
    if (f.getNoRouteFound()) out.add("NR");
    if (f.getUpstreamRequestTimeout()) out.add("UT");
    if (f.getUpstreamRetryLimitExceeded()) out.add("URX");
    if (f.getUpstreamConnectionTermination()) out.add("UC");
    if (f.getUpstreamRemoteReset()) out.add("UR");
    if (f.getLocalReset()) out.add("LR");
    if (f.getNoClusterFound()) out.add("NC");
    if (f.getUpstreamProtocolError()) out.add("UPE");
    if (f.getUpstreamMaxStreamDurationReached()) out.add("UMSDR");
    if (f.getStreamIdleTimeout()) out.add("SI");
    if (f.getDurationTimeout()) out.add("DT");
    if (f.getDnsResolutionFailure()) out.add("DF");
    return out;
  }
}
