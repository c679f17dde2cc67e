package weft.proxy.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every problem found while translating one config, so a user sees all of them at once
 * instead of fixing one field per restart. Not thread-safe: one per translation.
 */
public final class ConfigProblems {
  private final List<ConfigProblem> problems = new ArrayList<>();

  public void add(ConfigPath path, String message) {
    problems.add(new ConfigProblem(path, message));
  }

  /** The standard wording for a field, value or extension that weft does not implement. */
  public void unsupported(ConfigPath path, Object value) {
    add(path, value + " is not supported");
  }

  /** The standard wording for a field that is set but not implemented. */
  public void unsupportedField(ConfigPath path) {
    add(path, "field is not supported by weft");
  }

  public boolean isEmpty() {
    return problems.isEmpty();
  }

  public List<ConfigProblem> list() {
    return List.copyOf(problems);
  }

  /** Throws a {@link ConfigException} holding every problem, if there is any. */
  public void throwIfAny(String context) throws ConfigException {
    if (!problems.isEmpty()) {
      throw new ConfigException(context, problems);
    }
  }
}
