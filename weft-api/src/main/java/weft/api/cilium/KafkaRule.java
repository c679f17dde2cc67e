package weft.api.cilium;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One {@code rules.kafka[]} entry (Cilium PortRuleKafka). Absent fields match anything; {@code role}
 * and {@code apiKey} are mutually exclusive (checked at decode time).
 *
 * @param role produce or consume: shorthand for a set of API keys
 * @param apiKey a single API key
 * @param apiVersion the exact API version, 0..32767
 * @param clientId the exact client id
 * @param topic the exact topic (1..255 of {@code [a-zA-Z0-9._-]})
 */
public record KafkaRule(
    Optional<Role> role,
    Optional<KafkaApiKey> apiKey,
    Optional<Integer> apiVersion,
    Optional<String> clientId,
    Optional<String> topic) {

  /** Cilium's Kafka roles and the API keys each expands to (MapRoleToAPIKey). */
  public enum Role {
    PRODUCE(Set.of(KafkaApiKey.PRODUCE, KafkaApiKey.METADATA, KafkaApiKey.APIVERSIONS)),
    CONSUME(
        Set.of(
            KafkaApiKey.FETCH, KafkaApiKey.OFFSETS, KafkaApiKey.METADATA, KafkaApiKey.OFFSETCOMMIT,
            KafkaApiKey.OFFSETFETCH, KafkaApiKey.FINDCOORDINATOR, KafkaApiKey.JOINGROUP,
            KafkaApiKey.HEARTBEAT, KafkaApiKey.LEAVEGROUP, KafkaApiKey.SYNCGROUP,
            KafkaApiKey.APIVERSIONS));

    private final Set<KafkaApiKey> apiKeys;

    Role(Set<KafkaApiKey> apiKeys) {
      this.apiKeys = apiKeys;
    }

    public Set<KafkaApiKey> apiKeys() {
      return apiKeys;
    }
  }

  public KafkaRule {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(apiVersion, "apiVersion");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(topic, "topic");
    if (role.isPresent() && apiKey.isPresent()) {
      throw new IllegalArgumentException("role and apiKey are mutually exclusive");
    }
  }

  /** The API keys this rule admits; empty means every key. */
  public Set<KafkaApiKey> apiKeys() {
    return role.map(Role::apiKeys).orElseGet(() -> apiKey.map(Set::of).orElse(Set.of()));
  }
}
