package weft.api.cilium;

import java.util.List;

/** {@code toPorts[].rules}: the L7 rules of a port rule, one protocol at a time. */
public sealed interface L7Rules {

  /** {@code rules.http}: a request must match at least one entry. */
  record Http(List<HttpRule> rules) implements L7Rules {
    public Http {
      rules = List.copyOf(rules);
    }
  }

  /** {@code rules.kafka}: a request must match at least one entry. */
  record Kafka(List<KafkaRule> rules) implements L7Rules {
    public Kafka {
      rules = List.copyOf(rules);
    }
  }
}
