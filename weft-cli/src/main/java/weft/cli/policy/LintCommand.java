package weft.cli.policy;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import weft.policy.engine.PolicyEngine;
import weft.policy.lint.Finding;
import weft.policy.lint.Linter;

/** {@code weft policy lint}: explains policy mistakes, each with an example flow. */
@Command(
    name = "lint",
    description = "Find dead L7 rules, allows shadowed by denies, selectors matching nothing, "
        + "dialects that disagree, and default deny that allows nothing.",
    footer = {"", "Example:", "  weft policy lint -f examples/policies/resources",
        "", "Exit status: 0 without errors (warnings allowed), 1 with errors, 2 on invalid input."})
final class LintCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin PolicyInputOptions inputs;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    Optional<PolicyEngine> engine = inputs.load(spec.commandLine().getErr());
    if (engine.isEmpty()) return PolicyInputOptions.INPUT_ERROR;
    List<Finding> findings = Linter.lint(engine.get());
    findings.forEach(out::println);
    long errors = findings.stream().filter(f -> f.severity() == Finding.Severity.ERROR).count();
    out.println(errors + " errors, " + (findings.size() - errors) + " warnings");
    out.flush();
    return errors > 0 ? 1 : 0;
  }
}
