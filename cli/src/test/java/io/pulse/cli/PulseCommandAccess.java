package io.pulse.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Lets tests in other packages build the real command line writing to a stream of their own. */
public final class PulseCommandAccess {

  /** What one run of the command line gave: exit code, stdout, stderr. */
  public record Result(int code, String out, String err) {}

  private PulseCommandAccess() {}

  public static CommandLine commandLine(PrintStream out) {
    return PulseCommand.commandLine(out);
  }

  /** Runs the command line as `pulse ARGS` would, capturing its exit code, stdout and stderr. */
  public static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    CommandLine cli = commandLine(new PrintStream(out, true, StandardCharsets.UTF_8));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString());
  }
}
