package weft.cli;

/**
 * SIGTERM/SIGINT handling through {@code sun.misc.Signal}, so the proxy can drain and exit 0
 * instead of the JVM's 143; falls back to a shutdown hook where the signal API is unavailable.
 */
final class Signals {
  private Signals() {}

  @SuppressWarnings("restriction")
  static void onTermination(Runnable action) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("TERM"), s -> action.run());
      sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> action.run());
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      Runtime.getRuntime().addShutdownHook(new Thread(action, "weft-shutdown"));
    }
  }
}
