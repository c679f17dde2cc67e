package weft.api.cilium;

import java.util.Locale;
import java.util.Optional;

/** The Kafka API keys Cilium accepts in {@code rules.kafka[].apiKey}, with their numeric ids. */
public enum KafkaApiKey {
  PRODUCE(0), FETCH(1), OFFSETS(2), METADATA(3), LEADERANDISR(4), STOPREPLICA(5),
  UPDATEMETADATA(6), CONTROLLEDSHUTDOWN(7), OFFSETCOMMIT(8), OFFSETFETCH(9), FINDCOORDINATOR(10),
  JOINGROUP(11), HEARTBEAT(12), LEAVEGROUP(13), SYNCGROUP(14), DESCRIBEGROUPS(15), LISTGROUPS(16),
  SASLHANDSHAKE(17), APIVERSIONS(18), CREATETOPICS(19), DELETETOPICS(20), DELETERECORDS(21),
  INITPRODUCERID(22), OFFSETFORLEADEREPOCH(23), ADDPARTITIONSTOTXN(24), ADDOFFSETSTOTXN(25),
  ENDTXN(26), WRITETXNMARKERS(27), TXNOFFSETCOMMIT(28), DESCRIBEACLS(29), CREATEACLS(30),
  DELETEACLS(31), DESCRIBECONFIGS(32), ALTERCONFIGS(33);

  private final int id;

  KafkaApiKey(int id) {
    this.id = id;
  }

  /** The numeric API key on the wire. */
  public int id() {
    return id;
  }

  /** Cilium's spelling, e.g. {@code offsetcommit}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Case-insensitive, as Cilium lower-cases apiKey. */
  public static Optional<KafkaApiKey> of(String name) {
    for (KafkaApiKey k : values()) {
      if (k.wireName().equalsIgnoreCase(name)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  public static Optional<KafkaApiKey> of(int id) {
    return id >= 0 && id < values().length ? Optional.of(values()[id]) : Optional.empty();
  }
}
