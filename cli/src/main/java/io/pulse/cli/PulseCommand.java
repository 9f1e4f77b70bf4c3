package io.pulse.cli;

import io.pulse.cli.client.CliException;
import io.pulse.cli.client.FnCommand;
import io.pulse.cli.client.InvokeCommand;
import io.pulse.cli.run.ControlPlaneCommand;
import io.pulse.cli.run.DataPlaneCommand;
import io.pulse.cli.run.UpCommand;
import io.pulse.cli.run.WorkerCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code pulse} command: run Pulse (all-in-one or one component) and talk to it. */
@Command(name = "pulse", mixinStandardHelpOptions = true, version = "pulse 0.1.0",
    description = "Pulse: a serverless platform with dual-track scaling.",
    subcommands = {UpCommand.class, ControlPlaneCommand.class, DataPlaneCommand.class, WorkerCommand.class,
        FnCommand.class, InvokeCommand.class, CommandLine.HelpCommand.class})
public final class PulseCommand {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new PulseCommand());
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
