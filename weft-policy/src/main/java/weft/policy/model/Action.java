package weft.policy.model;

/** What a Kubernetes or Cilium rule does with the traffic it matches. */
public enum Action {
  ALLOW,
  DENY
}
