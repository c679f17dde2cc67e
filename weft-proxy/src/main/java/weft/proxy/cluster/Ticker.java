package weft.proxy.cluster;

/**
 * A monotonic clock in nanoseconds. Outlier ejection times and health-check bookkeeping read it so
 * that tests can move time forward instead of sleeping.
 */
@FunctionalInterface
public interface Ticker {
  long nanoTime();

  static Ticker system() {
    return System::nanoTime;
  }
}
