package io.pulse.cli.client;

import io.pulse.cli.PulseCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pulse invocation get ID}: where an async invocation stands ({@code GET /v1/invocations/{id}}). */
@Command(name = "invocation", description = "Show async invocations (pulse invoke --async gives their ids).",
    subcommands = {InvocationCommand.Get.class})
public final class InvocationCommand {

  @Command(name = "get", description = "Show an async invocation: state, attempts and, once it ended, its result.")
  static final class Get implements Callable<Integer> {
    @Mixin FnCommand.ApiOption api;
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Parameters(paramLabel = "ID") String id;

    @Override
    public Integer call() {
      return FnCommand.print(PulseCommand.out(spec), api.client().json("GET", "/v1/invocations/"
          + FnCommand.encode(id), ""));
    }
  }
}
