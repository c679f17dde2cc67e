package weft.proxy.cluster;

import java.time.Duration;

/** Proto durations to java.time, for this package's translators. */
final class Durations {
  private Durations() {}

  static Duration of(com.google.protobuf.Duration d) {
    return Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }

  static Duration or(boolean has, com.google.protobuf.Duration d, Duration dflt) {
    return has ? of(d) : dflt;
  }
}
