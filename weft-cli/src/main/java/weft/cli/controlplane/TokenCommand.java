package weft.cli.controlplane;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft token create NS/NAME}: a bootstrap token for a workload's proxy. */
@Command(
    mixinStandardHelpOptions = true,
    name = "token",
    description = "Bootstrap tokens: what a workload's proxy shows to get its certificate.",
    subcommands = TokenCommand.Create.class,
    footer = {"", "Example:", "  weft token create default/tweet -o tweet.token"})
public final class TokenCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "create",
      description = "Create a bootstrap token for the workload NS/NAME; print it, or write it (mode 0600) to FILE.",
      footer = {"", "Examples:", "  weft token create default/tweet",
        "  weft token create default/tweet -o tweet.token && weft proxy --xds 127.0.0.1:15010 --node default/tweet --token tweet.token"})
  static final class Create implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerOption server;

    @Parameters(paramLabel = "NS/NAME", description = "The workload.")
    String workload;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the token to FILE instead of printing it.")
    Optional<Path> output;

    @Override
    public Integer call() {
      var out = spec.commandLine().getOut();
      var err = spec.commandLine().getErr();
      String token;
      try {
        token = server.client().post("tokens", ApiClient.JSON.createObjectNode().put("workload", workload).toString())
            .path("token").asText();
      } catch (ApiClient.ApiError e) {
        return ApiClient.report(err, e);
      }
      if (output.isEmpty()) {
        out.println(token);
        out.flush();
        return 0;
      }
      try {
        write(output.get(), token + "\n");
      } catch (IOException e) {
        err.println("error: cannot write " + output.get() + ": " + e.getMessage());
        return 1;
      }
      out.println("wrote the token for " + workload + " to " + output.get());
      out.flush();
      return 0;
    }

    /** Owner-only from creation: the token is a credential. */
    private static void write(Path file, String content) throws IOException {
      Files.deleteIfExists(file);
      if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(file);
      }
      Files.writeString(file, content, StandardOpenOption.TRUNCATE_EXISTING);
    }
  }
}
