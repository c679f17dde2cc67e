package weft.proxy.upstream;

/**
 * Why an upstream exchange ended without a complete response. The names are Envoy's reset reasons,
 * used verbatim in local replies ({@code reset reason: connection failure}) and retry decisions.
 */
public enum UpstreamFailure {
  CONNECTION_FAILURE("connection failure"),
  CONNECTION_TERMINATION("connection termination"),
  LOCAL_RESET("local reset"),
  REMOTE_RESET("remote reset"),
  REFUSED_STREAM("remote refused stream reset"),
  OVERFLOW("overflow"),
  PROTOCOL_ERROR("protocol error");

  private final String envoyName;

  UpstreamFailure(String envoyName) {
    this.envoyName = envoyName;
  }

  /** Envoy's wording, e.g. {@code connection failure}. */
  public String envoyName() {
    return envoyName;
  }
}
