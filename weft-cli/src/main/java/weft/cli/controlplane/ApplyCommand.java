package weft.cli.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weft apply -f FILE} and {@code weft delete -f FILE}: one request, all or nothing. */
public final class ApplyCommand {
  private ApplyCommand() {}

  abstract static class Base implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerOption server;

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE",
        description = "A YAML or JSON file of resources (- for standard input).")
    String file;

    abstract String endpoint();

    abstract String verb();

    @Override
    public Integer call() {
      var out = spec.commandLine().getOut();
      var err = spec.commandLine().getErr();
      String body;
      try {
        body = file.equals("-") ? read(System.in) : Files.readString(Path.of(file), StandardCharsets.UTF_8);
      } catch (IOException e) {
        err.println("error: cannot read " + file + ": " + e.getMessage());
        return 1;
      }
      try {
        JsonNode done = server.client().post(endpoint(), body);
        for (JsonNode key : done.path("resources")) {
          out.println(key.asText() + " " + verb());
        }
        out.flush();
        return 0;
      } catch (ApiClient.ApiError e) {
        return ApiClient.report(err, e);
      }
    }

    private static String read(InputStream in) throws IOException {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "apply",
      description = "Add or update resources in the control plane, validated as files are; a bad resource refuses the whole file.",
      footer = {"", "Example:", "  weft apply -f policies/jobs-l7.yaml --server http://127.0.0.1:15000"})
  public static final class Apply extends Base {
    @Override
    String endpoint() {
      return "apply";
    }

    @Override
    String verb() {
      return "applied";
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "delete",
      description = "Remove resources added with `weft apply` (named by kind, namespace and name in FILE).",
      footer = {"", "Example:", "  weft delete -f policies/jobs-l7.yaml"})
  public static final class Delete extends Base {
    @Override
    String endpoint() {
      return "delete";
    }

    @Override
    String verb() {
      return "deleted";
    }
  }
}
