package weft.policy.model;

/** Traffic direction relative to the workload a policy selects. */
public enum Direction {
  INGRESS,
  EGRESS
}
