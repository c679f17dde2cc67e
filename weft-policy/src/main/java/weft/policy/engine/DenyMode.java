package weft.policy.engine;

/** How a denial shows to the client. */
public enum DenyMode {
  DROP("drop"),
  HTTP_403("http-403"),
  KAFKA_ERROR("kafka-error");

  private final String id;

  DenyMode(String id) {
    this.id = id;
  }

  /** {@code drop}, {@code http-403}, {@code kafka-error}. */
  public String id() {
    return id;
  }

  public static DenyMode parse(String s) {
    for (DenyMode m : values()) {
      if (m.id.equals(s)) return m;
    }
    throw new IllegalArgumentException(
        "deny mode \"" + s + "\" (expected: drop, http-403 or kafka-error)");
  }

  /** The earlier of two modes in the data path: an L3/L4 drop acts before any L7 answer. */
  static DenyMode first(DenyMode a, DenyMode b) {
    return a.ordinal() <= b.ordinal() ? a : b;
  }
}
