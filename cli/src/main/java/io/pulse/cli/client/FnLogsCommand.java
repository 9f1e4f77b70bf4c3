package io.pulse.cli.client;

import io.pulse.cli.PulseCommand;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pulse fn logs NAME}: the newest lines the function's instances printed, one per line as {@code TIME INSTANCE
 * TEXT}; instances whose worker could not say are named on stderr.
 */
@Command(name = "logs", description = "Show what a function's instances printed (stdout and stderr), oldest first.")
final class FnLogsCommand implements Callable<Integer> {

  @Mixin FnCommand.ApiOption api;
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Parameters(paramLabel = "NAME") String name;

  @Option(names = {"-n", "--tail"}, defaultValue = "100", description = "The newest N lines, 1..10000 (default:"
      + " ${DEFAULT-VALUE}).")
  int tail;

  @Option(names = "--instance", description = "Only this instance.")
  String instance;

  @Option(names = "--since", description = "Only lines since this time: RFC 3339 (2026-01-31T12:00:00Z) or epoch"
      + " milliseconds.")
  String since;

  @Option(names = "--json", description = "Print the API's JSON answer as it is.")
  boolean json;

  @Override
  public Integer call() {
    StringBuilder path = new StringBuilder("/v1/functions/").append(FnCommand.encode(name)).append("/logs?tail=")
        .append(tail);
    if (instance != null) {
      path.append("&instance=").append(FnCommand.encode(instance));
    }
    if (since != null) {
      path.append("&since=").append(FnCommand.encode(since));
    }
    ApiClient.Response response = api.client().json("GET", path.toString(), "");
    PrintStream out = PulseCommand.out(spec);
    if (json || !response.ok()) {
      return FnCommand.print(out, response);
    }
    JsonObject body = new JsonObject(response.text());
    JsonArray lines = body.getJsonArray("lines", new JsonArray());
    for (int i = 0; i < lines.size(); i++) {
      JsonObject line = lines.getJsonObject(i);
      out.println(line.getString("time") + " " + line.getString("instance") + " " + line.getString("text"));
    }
    out.flush();
    PrintWriter err = spec.commandLine().getErr();
    JsonArray errors = body.getJsonArray("errors", new JsonArray());
    for (int i = 0; i < errors.size(); i++) {
      JsonObject error = errors.getJsonObject(i);
      err.println("pulse: no logs of " + error.getString("instance") + " on " + error.getString("worker") + ": "
          + error.getString("message"));
    }
    err.flush();
    return 0;
  }
}
