package weft.policy.model;

/** One protocol + port (range or name) a rule allows or denies. */
public record PortMatch(Protocol protocol, PortSpec port) {
  public static PortMatch all(Protocol protocol) {
    return new PortMatch(protocol, PortSpec.Range.all());
  }
}
