package weft.cli.policy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import weft.policy.engine.PolicyEngine;
import weft.policy.engine.Verdict;

/** {@code weft policy test}: runs probes against the policies, a CI gate for policy changes. */
@Command(
    name = "test",
    description = "Run the probes of PROBES.yaml; print each failure with its trace.",
    footer = {"", "Example:", "  weft policy test -f examples/policies/resources examples/policies/probes.yaml",
        "", "Exit status: 0 when every probe passes, 1 when one fails, 2 on invalid input."})
final class TestCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin PolicyInputOptions inputs;

  // -f takes every following path, so `-f DIR PROBES.yaml` hands the probes file to -f: the last
  // path is the probes file unless one is given after the other options
  @Parameters(index = "0", arity = "0..1", paramLabel = "PROBES.yaml", description = "The probes file (the last path).")
  Path probesFile;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    if (probesFile == null) {
      if (inputs.files.size() < 2) {
        err.println("missing PROBES.yaml (expected: weft policy test -f DIR_OR_FILE... PROBES.yaml)");
        return PolicyInputOptions.INPUT_ERROR;
      }
      inputs.files = new java.util.ArrayList<>(inputs.files);
      probesFile = inputs.files.remove(inputs.files.size() - 1);
    }
    Probes.Parsed parsed;
    try {
      parsed = Probes.parse(probesFile);
    } catch (IOException e) {
      err.println(probesFile + ": " + e.getMessage());
      return PolicyInputOptions.INPUT_ERROR;
    }
    if (!parsed.problems().isEmpty()) {
      parsed.problems().forEach(err::println);
      return PolicyInputOptions.INPUT_ERROR;
    }
    Optional<PolicyEngine> engine = inputs.load(err);
    if (engine.isEmpty()) return PolicyInputOptions.INPUT_ERROR;
    int passed = 0;
    int failed = 0;
    for (Probes.Probe p : parsed.probes()) {
      Verdict v;
      try {
        v = engine.get().evaluate(p.flow());
      } catch (IllegalArgumentException e) {
        err.println(probesFile + ": probes[" + p.index() + "]: " + e.getMessage());
        return PolicyInputOptions.INPUT_ERROR;
      }
      boolean ok = v.allowed() == p.expectAllow()
          && (p.denyMode().isEmpty() || v.denyMode().equals(p.denyMode()));
      if (ok) {
        passed++;
        continue;
      }
      failed++;
      String expected = (p.expectAllow() ? "allow" : "deny") + p.denyMode().map(m -> " (" + m.id() + ")").orElse("");
      out.println("FAIL probes[" + p.index() + "] " + p.text() + ": expected " + expected + ", got " + VerdictOutput.oneLine(v));
    }
    out.println(passed + " passed, " + failed + " failed");
    out.flush();
    return failed == 0 ? 0 : 1;
  }
}
