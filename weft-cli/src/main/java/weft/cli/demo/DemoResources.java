package weft.cli.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The demo's resource files (bundled; rendered copies live in {@code examples/demo/}): {@code
 * mesh.yaml} (namespace, workloads, service, STRICT mTLS) and one policy file per stage, all
 * templated with the loopback network ({@code 127.0.20}) and jobs-api's port (80, or 8080 when
 * ports below 1024 are not permitted).
 *
 * @param net the first three octets of the workloads' loopback addresses
 * @param port jobs-api's workload (and service) port
 */
record DemoResources(String net, int port) {
  static final String MESH = "mesh.yaml";
  /** The file the demo rewrites at each stage, and the one to edit to change the verdict. */
  static final String POLICY = "policy.yaml";
  static final int STAGES = 3;

  String address(int host) {
    return net + "." + host;
  }

  /** A bundled file with its placeholders filled in. */
  String render(String name) {
    try (InputStream in = DemoResources.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("demo resource " + name + " missing from this build");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replace("{{net}}", net).replace("{{port}}", Integer.toString(port));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String stageFile(int stage) {
    if (stage < 1 || stage > STAGES) {
      throw new IllegalArgumentException("stage " + stage + " (expected: 1.." + STAGES + ")");
    }
    return "policy-stage" + stage + ".yaml";
  }

  /** Writes the mesh and the stage's policy into {@code configDir}. */
  void writeAll(Path configDir, int stage) throws IOException {
    Files.createDirectories(configDir);
    write(configDir.resolve(MESH), render(MESH));
    writeStage(configDir, stage);
  }

  /**
   * Makes {@code stage}'s policy the one in force; returns false if the file already said exactly
   * that (no change for the control plane to publish).
   */
  boolean writeStage(Path configDir, int stage) throws IOException {
    Path file = configDir.resolve(POLICY);
    String content = render(stageFile(stage));
    if (Files.exists(file) && Files.readString(file).equals(content)) {
      return false;
    }
    write(file, content);
    return true;
  }

  /** Atomically, so the config dir watcher never reads half a file. */
  private static void write(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(tmp, content);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
