package weft.proxy.config;

/** One thing wrong with a config, at one field. Renders as {@code path: message}. */
public record ConfigProblem(ConfigPath path, String message) {
  @Override
  public String toString() {
    String p = path.toString();
    return p.isEmpty() ? message : p + ": " + message;
  }
}
