package weft.bench.policy;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import weft.policy.engine.DenyMode;
import weft.policy.engine.Flow;
import weft.policy.engine.PolicyEngine;
import weft.policy.engine.Verdict;

/**
 * Verdicts per second over 1,000 policies x 1,000 workloads, one thread: {@code check} is the data
 * path (target >= 1M L3/L4 and >= 200k L7 per second), {@code evaluate} adds the explanation (trace).
 * Run: {@code java -jar weft-bench/target/benchmarks.jar PolicyEvaluation -f 1 -wi 2 -i 3}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class PolicyEvaluationBenchmark {
  private static final int MASK = 1023;
  private PolicyEngine engine;
  private Flow[] l34;
  private Flow[] l7;
  private int i;

  @Setup
  public void setup() {
    engine = PolicyMesh.engine();
    l34 = PolicyMesh.l34Flows(MASK + 1);
    l7 = PolicyMesh.l7Flows(MASK + 1);
    int denied = 0;
    for (Flow f : l34) if (engine.check(f) != null) denied++;
    int denied7 = 0;
    for (Flow f : l7) if (engine.check(f) != null) denied7++;
    System.out.println("\nl3/l4 flows denied: " + denied + "/" + l34.length + ", l7 flows denied: " + denied7 + "/" + l7.length);
  }

  @Benchmark
  public DenyMode l34Check() {
    return engine.check(l34[i++ & MASK]);
  }

  @Benchmark
  public DenyMode l7Check() {
    return engine.check(l7[i++ & MASK]);
  }

  @Benchmark
  public Verdict l34Evaluate() {
    return engine.evaluate(l34[i++ & MASK]);
  }
}
