package weft.proxy.router;

/**
 * A piece of compiled config that xDS replaces under running connections (an RDS route table, the
 * cluster set): Envoy applies RDS and CDS/EDS updates to new streams on existing connections. A
 * stream reads it once when it starts and keeps that value to its end; {@link #publish} is called by
 * the config thread. A file bootstrap uses {@link #fixed} values.
 */
public final class ConfigRef<T> {
  private volatile T value;

  public ConfigRef(T initial) {
    this.value = initial;
  }

  public static <T> ConfigRef<T> fixed(T value) {
    return new ConfigRef<>(value);
  }

  /** The value in force: one volatile read. */
  public T get() {
    return value;
  }

  /** Puts {@code next} in force for streams that start from now on. */
  public void publish(T next) {
    value = next;
  }
}
