package io.pulse.cli;

import java.io.PrintStream;
import picocli.CommandLine;

/** Lets tests in other packages build the real command line writing to a stream of their own. */
public final class PulseCommandAccess {

  private PulseCommandAccess() {}

  public static CommandLine commandLine(PrintStream out) {
    return PulseCommand.commandLine(out);
  }
}
