package io.pulse.cli.client;

/** A failure the command line reports as one line on stderr, with exit code 1, and no stack trace. */
public final class CliException extends RuntimeException {

  public CliException(String message) {
    super(message, null, false, false);
  }
}
