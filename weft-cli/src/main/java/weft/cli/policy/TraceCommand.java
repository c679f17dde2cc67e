package weft.cli.policy;

import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import weft.policy.engine.PolicyEngine;
import weft.policy.engine.Verdict;

/** {@code weft policy trace}: the verdict on one flow and, per dialect, the deciding rule. */
@Command(
    name = "trace",
    description = "Judge one flow and show, per dialect, the rule that allowed or denied it.",
    footer = {"", "Example:",
        "  weft policy trace -f examples/policies/resources --from default/tweet --to default/jobs-api --port 80 \\",
        "      --http-method POST --http-path /jobs",
        "", "Exit status: 0 when traced (ALLOW or DENY), 2 on invalid input."})
final class TraceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin PolicyInputOptions inputs;
  @Mixin FlowOptions flow;

  @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "FORMAT", description = "text or json.")
  String output;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    if (!output.equals("text") && !output.equals("json")) {
      err.println("-o " + output + " (expected: text or json)");
      return PolicyInputOptions.INPUT_ERROR;
    }
    Optional<PolicyEngine> engine = inputs.load(err);
    if (engine.isEmpty()) return PolicyInputOptions.INPUT_ERROR;
    Verdict v;
    try {
      v = engine.get().evaluate(flow.flow());
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return PolicyInputOptions.INPUT_ERROR;
    }
    out.print(output.equals("json") ? VerdictOutput.json(v) + "\n" : VerdictOutput.text(v));
    out.flush();
    return 0;
  }
}
