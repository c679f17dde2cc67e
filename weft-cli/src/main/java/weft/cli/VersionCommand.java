package weft.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** {@code weft version}: prints weft's version and the JVM it runs on. */
@Command(
    name = "version",
    description = "Print weft's version and the JVM it runs on.",
    footer = {"", "Example:", "  weft version"})
final class VersionCommand implements Runnable {
  @Override
  public void run() {
    for (String line : new Provider().getVersion()) {
      System.out.println(line);
    }
  }

  static final class Provider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {
        "weft " + (v == null ? "0.1.0-SNAPSHOT" : v),
        "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
      };
    }
  }
}
