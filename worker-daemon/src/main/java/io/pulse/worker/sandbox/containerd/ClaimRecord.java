package io.pulse.worker.sandbox.containerd;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * A claimed pool member's instance labels, in a file of its sandbox directory. A claim answers before containerd has
 * relabelled the member's container (a metadata write with an fsync, up to tens of ms under load); until then this
 * file is what tells a restarted worker which instance the running member is. Written before the member starts, so a
 * worker killed at any point after the answer leaves it. A local write without fsync: a kill -9 keeps it (the page
 * cache outlives the process); a machine crash takes the sandboxes too.
 */
final class ClaimRecord {

  static final String FILE = "claim.properties";

  private ClaimRecord() {}

  static void write(Path sandboxDir, SandboxLabels labels) throws IOException {
    Properties properties = new Properties();
    properties.putAll(labels.toMap());
    StringWriter text = new StringWriter();
    properties.store(text, null);
    Path tmp = sandboxDir.resolve(FILE + ".tmp");
    Files.writeString(tmp, text.toString(), StandardCharsets.UTF_8);
    Files.move(tmp, sandboxDir.resolve(FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** The labels a claim recorded; empty when there is no (readable, complete) record. */
  static Optional<SandboxLabels> read(Path sandboxDir) {
    String text;
    try {
      text = Files.readString(sandboxDir.resolve(FILE), StandardCharsets.UTF_8);
    } catch (IOException e) { // none (never claimed), or unreadable: either way no claim to go by
      return Optional.empty();
    }
    Properties properties = new Properties();
    try (Reader reader = new StringReader(text)) {
      properties.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
    Map<String, String> labels = new HashMap<>();
    properties.stringPropertyNames().forEach(k -> labels.put(k, properties.getProperty(k)));
    return SandboxLabels.parse(labels);
  }
}
