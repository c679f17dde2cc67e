package weft.proxy.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The load stage: reads an Envoy v3 bootstrap from YAML or JSON into the proto. Typed configs
 * ({@code @type}) resolve only against {@link ProxyTypes#registry()}, so an extension weft does
 * not know fails here with the file's name instead of deep inside a translator.
 */
public final class BootstrapLoader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  private BootstrapLoader() {}

  /** Loads {@code file}; YAML unless its name ends in {@code .json}. */
  public static Bootstrap load(Path file) throws ConfigException {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(ConfigPath.root(), file + ": cannot read: " + e.getMessage());
    }
    return parse(text, file.getFileName().toString().endsWith(".json"), file.toString());
  }

  /** Parses bootstrap text; {@code source} names it in errors. */
  public static Bootstrap parse(String text, boolean json, String source) throws ConfigException {
    String jsonText;
    try {
      JsonNode tree = json ? JSON.readTree(text) : YAML.readTree(text);
      if (tree == null || tree.isMissingNode() || tree.isNull()) {
        throw new ConfigException(ConfigPath.root(), source + ": empty bootstrap");
      }
      jsonText = JSON.writeValueAsString(tree);
    } catch (IOException e) {
      throw new ConfigException(
          ConfigPath.root(), source + ": invalid " + (json ? "JSON" : "YAML") + ": " + e.getMessage());
    }
    Bootstrap.Builder b = Bootstrap.newBuilder();
    try {
      JsonFormat.parser().usingTypeRegistry(ProxyTypes.registry()).merge(jsonText, b);
    } catch (InvalidProtocolBufferException e) {
      throw new ConfigException(ConfigPath.root(), source + ": " + describe(e));
    }
    return b.build();
  }

  private static String describe(InvalidProtocolBufferException e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    if (m.startsWith("Cannot find type for url: ")) {
      return "unknown or unsupported @type " + m.substring("Cannot find type for url: ".length());
    }
    return m;
  }

  /** The type registry, for printers of the config in force (config dump). */
  public static TypeRegistry typeRegistry() {
    return ProxyTypes.registry();
  }
}
