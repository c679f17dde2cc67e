package weft.policy.model;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Kafka API key names as Cilium's {@code rules.kafka[].apiKey} spells them, and the key groups of
 * its {@code role} field (Cilium: pkg/policy/api/kafka).
 */
public final class KafkaApiKeys {
  private KafkaApiKeys() {}

  private static final List<String> NAMES =
      List.of(
          "produce", "fetch", "offsets", "metadata", "leaderandisr", "stopreplica",
          "updatemetadata", "controlledshutdown", "offsetcommit", "offsetfetch",
          "findcoordinator", "joingroup", "heartbeat", "leavegroup", "syncgroup",
          "describegroups", "listgroups", "saslhandshake", "apiversions", "createtopics",
          "deletetopics");

  /** produce: Produce, Metadata, ApiVersions. */
  public static final Set<Integer> PRODUCE_ROLE = Set.of(0, 3, 18);

  /** consume: Fetch, Offsets, Metadata, OffsetCommit, OffsetFetch, FindCoordinator, JoinGroup, Heartbeat, LeaveGroup, SyncGroup, ApiVersions. */
  public static final Set<Integer> CONSUME_ROLE = Set.of(1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 18);

  private static final Map<String, Set<Integer>> ROLES =
      Map.of("produce", PRODUCE_ROLE, "consume", CONSUME_ROLE);

  /** The numeric key of a name ("produce", "fetch", ...) or of a decimal number. */
  public static Optional<Integer> parse(String s) {
    String n = s.toLowerCase(Locale.ROOT);
    int i = NAMES.indexOf(n);
    if (i >= 0) return Optional.of(i);
    if (!n.isEmpty() && n.length() < 5 && n.chars().allMatch(Character::isDigit)) {
      return Optional.of(Integer.parseInt(n));
    }
    return Optional.empty();
  }

  public static Optional<Set<Integer>> role(String role) {
    return Optional.ofNullable(ROLES.get(role.toLowerCase(Locale.ROOT)));
  }

  public static String name(int key) {
    return key >= 0 && key < NAMES.size() ? NAMES.get(key) : Integer.toString(key);
  }
}
