package weft.proxy.tls;

import io.envoyproxy.envoy.config.core.v3.DataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;

/**
 * Reads an Envoy {@code config.core.v3.DataSource} once, at compile time. Relative file names
 * resolve against the config's base directory (Envoy resolves them against its working
 * directory, which the proxy sets to the config file's directory). Errors never echo inline
 * content: it may be a private key.
 */
final class DataSources {
  private DataSources() {}

  /** The bytes, or null after recording a problem. */
  static byte[] read(DataSource ds, ConfigPath path, ConfigProblems problems, Path baseDir) {
    SupportedFields.check(ds, path, problems,
        "filename", "inline_bytes", "inline_string", "environment_variable");
    return switch (ds.getSpecifierCase()) {
      case FILENAME -> {
        Path file = baseDir.resolve(ds.getFilename());
        try {
          yield Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
          problems.add(path.field("filename"), "cannot read " + file + ": no such file");
          yield null;
        } catch (IOException e) {
          problems.add(path.field("filename"), "cannot read " + file + ": " + e);
          yield null;
        }
      }
      case INLINE_BYTES -> ds.getInlineBytes().toByteArray();
      case INLINE_STRING -> ds.getInlineString().getBytes(StandardCharsets.UTF_8);
      case ENVIRONMENT_VARIABLE -> {
        String v = System.getenv(ds.getEnvironmentVariable());
        if (v == null) {
          problems.add(path.field("environment_variable"),
              "environment variable " + ds.getEnvironmentVariable() + " is not set");
          yield null;
        }
        yield v.getBytes(StandardCharsets.UTF_8);
      }
      case SPECIFIER_NOT_SET -> {
        problems.add(path, "one of filename, inline_bytes, inline_string, environment_variable is required");
        yield null;
      }
    };
  }
}
