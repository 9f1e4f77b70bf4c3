package io.pulse.cli.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Which bearer token a client command sends: {@code --token}, else {@code $PULSE_API_TOKEN}, else the first line of
 * {@code --token-file}, else of {@code ~/.pulse/api-token} when it exists (what {@code pulse up} writes), else none.
 */
public final class ClientToken {

  private ClientToken() {}

  /** The default token file, {@code ~/.pulse/api-token}. */
  public static Path defaultFile() {
    return Path.of(System.getProperty("user.home"), ".pulse", "api-token");
  }

  /** Null when no source has one (the API will then answer 401, saying how to send one). */
  public static @Nullable String resolve(@Nullable String flag, @Nullable String env, @Nullable Path file,
      Path defaultFile) {
    if (flag != null && !flag.isBlank()) {
      return flag.strip();
    }
    if (env != null && !env.isBlank()) {
      return env.strip();
    }
    if (file != null) {
      return firstLine(file);
    }
    return Files.isReadable(defaultFile) ? firstLine(defaultFile) : null;
  }

  private static String firstLine(Path file) {
    try {
      String token = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
      if (token.isEmpty()) {
        throw new CliException("the token file " + file + " is empty");
      }
      return token;
    } catch (IOException e) {
      throw new CliException("cannot read the token file " + file + ": " + e.getMessage());
    }
  }
}
