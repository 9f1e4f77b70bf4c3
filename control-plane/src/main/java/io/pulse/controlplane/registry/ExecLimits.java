package io.pulse.controlplane.registry;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What execve(2) takes, checked at registration: a command or environment the kernel refuses (E2BIG) or cuts at a
 * NUL would be stored, and then every invocation would fail at start. Checks only what the spec decides; an image's
 * own entrypoint and environment are the image's business.
 */
public final class ExecLimits {

  /** MAX_ARG_STRLEN: the longest argument, or {@code NAME=value} string, the kernel copies, its NUL included. */
  public static final int MAX_STRING_BYTES = 131_072;

  /**
   * Our bound on argv and envp together, counted as the kernel counts them (each string's UTF-8 bytes, its NUL and an
   * 8-byte pointer). Half the kernel's default ARG_MAX (a quarter of the 8 MiB stack limit), so that the image's
   * environment fits beside it.
   */
  public static final int MAX_TOTAL_BYTES = 1 << 20;

  /**
   * Counted towards {@link #MAX_TOTAL_BYTES} for what the worker adds: PORT and PULSE_INSTANCE_ID, PULSE_FUNCTION,
   * PULSE_REVISION (under 250 bytes with a 63-character name) and what it passes on (PATH, HOME, LANG, TMPDIR).
   */
  public static final int WORKER_ENV_BYTES = 4_096;

  private static final int POINTER_BYTES = 8;

  private ExecLimits() {}

  /** Throws {@link InvalidFunctionSpecException} naming the first argument or variable the kernel would refuse. */
  public static void check(List<String> command, Map<String, String> env) {
    long commandBytes = 0;
    for (int i = 0; i < command.size(); i++) {
      commandBytes += checkedString("command[" + i + "]", "an argument", command.get(i));
    }
    long envBytes = 0;
    for (Map.Entry<String, String> variable : new TreeMap<>(env).entrySet()) {
      envBytes += checkedString("env." + variable.getKey(), "NAME=value",
          variable.getKey() + "=" + variable.getValue());
    }
    long total = commandBytes + envBytes + WORKER_ENV_BYTES;
    if (total > MAX_TOTAL_BYTES) {
      throw new InvalidFunctionSpecException(envBytes >= commandBytes ? "env" : "command",
          "command (" + commandBytes + " bytes) and env (" + envBytes + " bytes) with the worker's variables ("
              + WORKER_ENV_BYTES + ") make " + total + " bytes of arguments and environment, at most "
              + MAX_TOTAL_BYTES + " (each string counts its UTF-8 bytes, a NUL and an 8-byte pointer)");
    }
  }

  /** What {@code text} costs in the new process's argument area; refuses a NUL and an over-long string. */
  private static long checkedString(String field, String what, String text) {
    if (text.indexOf('\0') >= 0) {
      throw new InvalidFunctionSpecException(field,
          field + " must not contain a NUL character (the kernel would end the string there)");
    }
    int bytes = text.getBytes(StandardCharsets.UTF_8).length + 1;
    if (bytes > MAX_STRING_BYTES) {
      throw new InvalidFunctionSpecException(field, field + " is too long: " + what + " takes " + bytes
          + " bytes with its NUL, at most " + MAX_STRING_BYTES + " (the kernel's MAX_ARG_STRLEN)");
    }
    return bytes + POINTER_BYTES;
  }
}
