package io.pulse.cli;

import io.pulse.cli.client.CliException;
import io.pulse.cli.client.FnCommand;
import io.pulse.cli.client.InvocationCommand;
import io.pulse.cli.client.InvokeCommand;
import io.pulse.cli.client.SecretCommand;
import io.pulse.cli.run.BenchCommand;
import io.pulse.cli.run.ControlPlaneCommand;
import io.pulse.cli.run.DataPlaneCommand;
import io.pulse.cli.run.K8sBridgeCommand;
import io.pulse.cli.run.UpCommand;
import io.pulse.cli.run.WorkerCommand;
import java.io.PrintStream;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Command;

/** The {@code pulse} command: run Pulse (all-in-one or one component) and talk to it. */
// INHERIT: every subcommand answers --help and --version too.
@Command(name = "pulse", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
    version = "pulse 0.1.0",
    description = "Pulse: a serverless platform with dual-track scaling.",
    subcommands = {UpCommand.class, ControlPlaneCommand.class, DataPlaneCommand.class, WorkerCommand.class,
        K8sBridgeCommand.class, BenchCommand.class, FnCommand.class, SecretCommand.class, InvokeCommand.class,
        InvocationCommand.class,
        CommandLine.HelpCommand.class})
public final class PulseCommand {

  private final PrintStream out;

  private PulseCommand(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(commandLine(System.out).execute(args));
  }

  /** Where every subcommand writes its answers (bytes, so that function responses pass through untouched). */
  public static PrintStream out(CommandSpec spec) {
    return ((PulseCommand) spec.root().userObject()).out;
  }

  static CommandLine commandLine(PrintStream out) {
    CommandLine cli = new CommandLine(new PulseCommand(out));
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof CliException || e instanceof IllegalArgumentException) {
        commandLine.getErr().println("pulse: " + e.getMessage());
        return 1;
      }
      throw e;
    });
    return cli;
  }
}
