package weft.proxy.config;

import java.util.List;

/** A config that cannot be used; lists every problem found, each naming its field. */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient List<ConfigProblem> problems;

  public ConfigException(String context, List<ConfigProblem> problems) {
    super(render(context, problems));
    this.problems = List.copyOf(problems);
  }

  public ConfigException(ConfigPath path, String message) {
    this("", List.of(new ConfigProblem(path, message)));
  }

  public List<ConfigProblem> problems() {
    return problems;
  }

  private static String render(String context, List<ConfigProblem> problems) {
    StringBuilder sb = new StringBuilder();
    if (context != null && !context.isEmpty()) {
      sb.append(context).append(": ");
    }
    if (problems.size() == 1) {
      return sb.append(problems.get(0)).toString();
    }
    sb.append(problems.size()).append(" problems");
    for (ConfigProblem p : problems) {
      sb.append("\n  ").append(p);
    }
    return sb.toString();
  }
}
