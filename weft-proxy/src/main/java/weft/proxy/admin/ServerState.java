package weft.proxy.admin;

/**
 * Envoy's {@code admin.v3.ServerInfo.State}, with the value Envoy's {@code server.state} gauge
 * reports for it.
 */
public enum ServerState {
  LIVE(0),
  DRAINING(1),
  PRE_INITIALIZING(2),
  INITIALIZING(3);

  private final int gaugeValue;

  ServerState(int gaugeValue) {
    this.gaugeValue = gaugeValue;
  }

  public int gaugeValue() {
    return gaugeValue;
  }

  /** Envoy's rule: a failed health check reads as DRAINING whatever the init state. */
  static ServerState of(boolean initialized, boolean healthCheckFailed) {
    if (healthCheckFailed) {
      return DRAINING;
    }
    return initialized ? LIVE : INITIALIZING;
  }
}
