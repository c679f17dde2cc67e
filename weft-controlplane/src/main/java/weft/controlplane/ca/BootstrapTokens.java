package weft.controlplane.ca;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Bootstrap tokens: how a proxy proves which workload it is before it has a certificate.
 *
 * <p>A token is 32 random bytes, base64url without padding. Only its SHA-256 is kept, as the file
 * name {@code <data-dir>/tokens/hashes/<hex>} holding the workload ({@code ns/name}); so a leak of
 * the data dir's token store gives no usable token, and verification is a lookup by hash (no
 * comparison whose timing depends on the secret). Tokens have 256 bits of entropy, so an unsalted
 * hash is enough. {@link #tokenFile} also writes the token itself, mode 0600, where the workload's
 * proxy reads it ({@code --token FILE}).
 *
 * <p>Thread-safe: every operation is a few file-system calls, each atomic.
 */
public final class BootstrapTokens {
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path hashes;
  private final Path workloadFiles;

  public BootstrapTokens(Path dataDir) throws IOException {
    Path root = dataDir.resolve("tokens");
    SecretFiles.createPrivateDirectory(root);
    this.hashes = root.resolve("hashes");
    this.workloadFiles = root.resolve("workloads");
    SecretFiles.createPrivateDirectory(hashes);
    SecretFiles.createPrivateDirectory(workloadFiles);
  }

  /**
   * A new token for {@code workload} ({@code ns/name}), as {@code weft token create ns/name}
   * prints it. Earlier tokens of the workload stay valid until {@link #revoke}d.
   */
  public String create(String workload) throws IOException {
    requireWorkload(workload);
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    SecretFiles.writePrivate(hashes.resolve(hash(token)), workload);
    return token;
  }

  /**
   * The token file for {@code workload}, {@code <data-dir>/tokens/workloads/<ns>/<name>.token}:
   * created with a new token if missing or no longer valid, left as is otherwise (so a control plane
   * restart does not invalidate running proxies' tokens). Synchronized: the translate thread and
   * API callers ask at the same time, and both writing the file collided on its temporary file.
   */
  public synchronized Path tokenFile(String workload) throws IOException {
    requireWorkload(workload);
    int slash = workload.indexOf('/');
    Path dir = workloadFiles.resolve(workload.substring(0, slash));
    Path file = dir.resolve(workload.substring(slash + 1) + ".token");
    if (Files.exists(file)
        && verify(Files.readString(file).strip()).filter(workload::equals).isPresent()) {
      return file;
    }
    SecretFiles.createPrivateDirectory(dir);
    SecretFiles.writePrivate(file, create(workload) + "\n");
    return file;
  }

  /** The workload ({@code ns/name}) the token was created for, if it is valid. */
  public Optional<String> verify(String token) {
    if (token == null || !TOKEN.matcher(token).matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readString(hashes.resolve(hash(token))));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Invalidates every token of {@code workload}; returns how many there were. */
  public synchronized int revoke(String workload) throws IOException {
    requireWorkload(workload);
    List<Path> theirs;
    try (Stream<Path> all = Files.list(hashes)) {
      theirs = all.filter(p -> !p.getFileName().toString().startsWith("."))
          .filter(p -> workload.equals(readQuietly(p))).toList();
    }
    for (Path p : theirs) {
      Files.deleteIfExists(p);
    }
    int slash = workload.indexOf('/');
    Files.deleteIfExists(workloadFiles.resolve(workload.substring(0, slash))
        .resolve(workload.substring(slash + 1) + ".token"));
    return theirs.size();
  }

  private static String readQuietly(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return "";
    }
  }

  /** {@code ns/name}, both DNS-1123 labels: also what keeps names from escaping the directory. */
  static void requireWorkload(String workload) {
    int slash = workload.indexOf('/');
    if (slash < 0
        || !LABEL.matcher(workload.substring(0, slash)).matches()
        || !LABEL.matcher(workload.substring(slash + 1)).matches()) {
      throw new IllegalArgumentException(
          "workload '" + workload + "' (expected: ns/name, lower-case DNS labels)");
    }
  }

  private static String hash(String token) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(d.digest(token.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
    }
  }
}
