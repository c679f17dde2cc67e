package weft.bench.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external load generator (wrk, h2load) to completion and returns what it printed (stdout
 * and stderr merged, as a person would read it). A generator that hangs past its run time plus a
 * grace period is killed, so one stuck tool cannot stall the whole benchmark.
 */
final class GeneratorProcess {
  private static final Duration GRACE = Duration.ofSeconds(30);

  private GeneratorProcess() {}

  /**
   * The output of {@code command}, also written to {@code rawOutput} with the command line first;
   * IOException naming the command when it fails or exits non-zero.
   */
  static String run(List<String> command, Duration runTime, Path rawOutput) throws IOException, InterruptedException {
    String out = run(command, runTime);
    Files.writeString(rawOutput, "$ " + String.join(" ", command) + "\n" + out);
    return out;
  }

  private static String run(List<String> command, Duration runTime) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
    p.getOutputStream().close();
    // read on another thread: a tool that fills the pipe would otherwise block before exiting
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread reader = Thread.ofPlatform().daemon().name("generator-output").start(() -> copy(p.getInputStream(), out));
    if (!p.waitFor(runTime.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly().waitFor();
      reader.join(1000);
      throw new IOException(String.join(" ", command) + ": still running " + GRACE.toSeconds()
          + " s after its run time, killed; output: " + text(out));
    }
    reader.join(5000);
    String text = text(out);
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + ": exit status " + p.exitValue() + ": " + text.strip());
    }
    return text;
  }

  private static String text(ByteArrayOutputStream out) {
    return out.toString(StandardCharsets.UTF_8); // synchronized against the reader's writes
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    byte[] buf = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
      }
    } catch (IOException e) {
      // the process ended or was killed: what was read so far is the output
    }
  }
}
