package weft.api.load;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import weft.api.ResourceKey;

/**
 * Loads resources from YAML and JSON files and directories. Stage: load (files -> documents), then
 * bind (documents -> validated records, see {@link DocumentDecoder}).
 *
 * <ul>
 *   <li>YAML files may hold several documents separated by {@code ---}; each is decoded on its own,
 *       so a syntax error costs only its document.
 *   <li>JSON files hold one or more top-level values; a top-level array is a list of documents.
 *   <li>{@code kind: List} documents contribute each of their {@code items}.
 *   <li>Directories are walked recursively, in path order, for {@code *.yaml}, {@code *.yml} and
 *       {@code *.json}; files named explicitly are read whatever their extension.
 * </ul>
 *
 * <p>Never throws for bad input: every problem becomes a {@link LoadError}. Stateless and
 * thread-safe.
 */
public final class ResourceLoader {
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  /** A YAML document marker at the start of a line: "---", alone or followed by whitespace. */
  private static final Pattern DOCUMENT_START = Pattern.compile("(?m)^---(?=[ \\t]|\\r?$)");

  private ResourceLoader() {}

  /** Loads every file and directory given, in order. */
  public static LoadResult load(List<Path> paths) {
    Collector collector = new Collector();
    Set<Path> seen = new LinkedHashSet<>();
    for (Path path : paths) {
      for (Path file : files(path, collector)) {
        if (seen.add(file.toAbsolutePath().normalize())) {
          read(file, collector);
        }
      }
    }
    return collector.result();
  }

  public static LoadResult load(Path... paths) {
    return load(List.of(paths));
  }

  /**
   * Decodes text as if read from a file named {@code name}: JSON if the name ends in {@code .json},
   * YAML otherwise. For callers that receive documents over the network or in tests.
   */
  public static LoadResult parse(String name, String content) {
    Collector collector = new Collector();
    decodeText(Path.of(name), content, collector);
    return collector.result();
  }

  private static List<Path> files(Path path, Collector collector) {
    if (!Files.exists(path)) {
      collector.errors.add(new LoadError(SourceRef.wholeFile(path), "", "", "no such file or directory"));
      return List.of();
    }
    if (!Files.isDirectory(path)) {
      return List.of(path);
    }
    try (Stream<Path> walk = Files.walk(path)) {
      return walk.filter(Files::isRegularFile).filter(ResourceLoader::resourceFile).sorted().toList();
    } catch (IOException | RuntimeException e) {
      collector.errors.add(new LoadError(SourceRef.wholeFile(path), "", "", "cannot read directory: " + e.getMessage()));
      return List.of();
    }
  }

  private static boolean resourceFile(Path p) {
    String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
  }

  private static void read(Path file, Collector collector) {
    String content;
    try {
      content = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      collector.errors.add(new LoadError(SourceRef.wholeFile(file), "", "", "no such file or directory"));
      return;
    } catch (IOException e) {
      collector.errors.add(new LoadError(SourceRef.wholeFile(file), "", "", "cannot read file: " + e));
      return;
    }
    decodeText(file, content, collector);
  }

  private static void decodeText(Path file, String text, Collector collector) {
    DocumentDecoder decoder = collector.decoder();
    String content = text.startsWith("\uFEFF") ? text.substring(1) : text; // editors' UTF-8 BOM
    if (file.toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
      decodeJson(file, content, collector, decoder);
    } else {
      decodeYaml(file, content, collector, decoder);
    }
  }

  private static void decodeJson(Path file, String content, Collector collector, DocumentDecoder decoder) {
    int[] index = {0};
    try (JsonParser parser = JSON.createParser(content)) {
      while (parser.nextToken() != null) {
        documents(JSON.readTree(parser), file, index, decoder);
      }
    } catch (IOException | RuntimeException e) {
      collector.errors.add(new LoadError(SourceRef.document(file, index[0]), "", "", "invalid JSON: " + describe(e, 0)));
    }
  }

  /** A top-level array is a list of documents; anything else is one document. */
  private static void documents(JsonNode value, Path file, int[] index, DocumentDecoder decoder) {
    if (value == null || value.isMissingNode()) {
      return;
    }
    if (value.isArray()) {
      for (JsonNode element : value) {
        decoder.decode(element, SourceRef.document(file, index[0]++));
      }
    } else {
      decoder.decode(value, SourceRef.document(file, index[0]++));
    }
  }

  private static void decodeYaml(Path file, String content, Collector collector, DocumentDecoder decoder) {
    int[] index = {0};
    int start = 0;
    int line = 0;
    Matcher m = DOCUMENT_START.matcher(content);
    List<int[]> chunks = new ArrayList<>();
    while (m.find()) {
      chunks.add(new int[] {start, m.start()});
      start = m.start(); // the marker line stays with its document (it may carry content)
    }
    chunks.add(new int[] {start, content.length()});
    for (int[] chunk : chunks) {
      String text = content.substring(chunk[0], chunk[1]);
      int firstLine = line;
      line += (int) text.chars().filter(c -> c == '\n').count();
      if (blank(text)) {
        continue; // only the marker, comments or blank lines: not a document
      }
      JsonNode node;
      try (JsonParser parser = YAML.createParser(text)) {
        node = parser.nextToken() == null ? null : YamlTrees.read((YAMLParser) parser);
        if (parser.nextToken() != null) {
          throw new IllegalStateException("more than one document between two \"---\" lines");
        }
      } catch (IOException | RuntimeException e) {
        collector.errors.add(
            new LoadError(SourceRef.document(file, index[0]++), "", "", "invalid YAML: " + describe(e, firstLine)));
        continue;
      }
      documents(node, file, index, decoder);
    }
  }

  private static boolean blank(String chunk) {
    String body = chunk.startsWith("---") ? chunk.substring(3) : chunk;
    return body.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("#"));
  }

  /**
   * The parser's message without SnakeYAML's source excerpts, with the line made absolute within
   * the file.
   */
  private static String describe(Exception e, int lineOffset) {
    if (e instanceof JsonProcessingException j) {
      String message =
          j.getOriginalMessage()
              .lines()
              .filter(l -> !l.isBlank() && !l.startsWith(" in '") && !l.startsWith("    ") && !l.strip().equals("^"))
              .map(String::strip)
              .collect(Collectors.joining(": "));
      JsonLocation loc = j.getLocation();
      if (loc != null && loc.getLineNr() > 0) {
        return message + " (line " + (loc.getLineNr() + lineOffset) + ", column " + loc.getColumnNr() + ")";
      }
      return message;
    }
    return String.valueOf(e.getMessage());
  }

  /** Accumulates one load; drops a resource whose key an earlier document already holds. */
  private static final class Collector {
    final List<Loaded> loaded = new ArrayList<>();
    final List<LoadError> errors = new ArrayList<>();
    final Set<ResourceKey> rejected = new LinkedHashSet<>();
    final Map<ResourceKey, SourceRef> firstSource = new HashMap<>();

    DocumentDecoder decoder() {
      return new DocumentDecoder(this::accept, errors::add, rejected::add);
    }

    private void accept(Loaded l) {
      ResourceKey key = l.resource().key();
      SourceRef first = firstSource.putIfAbsent(key, l.source());
      if (first != null) {
        errors.add(new LoadError(l.source(), key.toString(), "", "duplicate of " + first));
        return;
      }
      loaded.add(l);
    }

    LoadResult result() {
      return new LoadResult(loaded, errors, rejected);
    }
  }
}
