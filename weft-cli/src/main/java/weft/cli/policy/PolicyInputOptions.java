package weft.cli.policy;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;
import weft.api.load.LoadResult;
import weft.api.load.ResourceLoader;
import weft.policy.engine.EngineOptions;
import weft.policy.engine.PolicyEngine;
import weft.policy.translate.PolicyTranslator;

/** {@code -f}, {@code --trust-domain}, {@code --root-namespace}: shared by the policy commands. */
final class PolicyInputOptions {
  /** Exit status for inputs that cannot be loaded (policy is never enforced half-loaded). */
  static final int INPUT_ERROR = 2;

  @Option(names = {"-f", "--filename"}, required = true, arity = "1..*", paramLabel = "DIR_OR_FILE",
      description = "YAML/JSON files or directories with policies and Workload/Namespace/Node/Service resources.")
  List<Path> files;

  @Option(names = "--trust-domain", defaultValue = "cluster.local", paramLabel = "DOMAIN",
      description = "SPIFFE trust domain (default: ${DEFAULT-VALUE}).")
  String trustDomain;

  @Option(names = "--root-namespace", defaultValue = "istio-system", paramLabel = "NS",
      description = "Istio's root namespace, whose policies apply mesh-wide (default: ${DEFAULT-VALUE}).")
  String rootNamespace;

  /** Loads and compiles, or prints every problem to {@code err} and returns empty. */
  Optional<PolicyEngine> load(PrintWriter err) {
    LoadResult r = ResourceLoader.load(files);
    if (!r.ok()) {
      err.print(r.errorReport());
      return Optional.empty();
    }
    PolicyTranslator.Translation t = PolicyTranslator.translate(r.resources());
    if (!t.problems().isEmpty()) {
      t.problems().forEach(err::println);
      return Optional.empty();
    }
    return Optional.of(PolicyEngine.compile(t.inputs(), new EngineOptions(trustDomain, rootNamespace)));
  }
}
