package weft.api.k8s;

/** NetworkPolicy {@code policyTypes} values. */
public enum PolicyType {
  INGRESS("Ingress"),
  EGRESS("Egress");

  private final String wireName;

  PolicyType(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
