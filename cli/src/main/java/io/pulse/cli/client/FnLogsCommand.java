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

  @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until interrupted or the function is"
      + " deleted.")
  boolean follow;

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
    PrintStream out = PulseCommand.out(spec);
    PrintWriter err = spec.commandLine().getErr();
    if (follow) {
      ApiClient.Response refused = api.client().getLines(path.append("&follow=true").toString(), line -> {
        if (line.isBlank()) {
          return; // the server's keep-alive
        }
        if (json) {
          out.println(line);
        } else {
          print(new JsonObject(line), out, err);
        }
        out.flush();
      });
      return refused.ok() ? 0 : FnCommand.print(out, refused);
    }
    ApiClient.Response response = api.client().json("GET", path.toString(), "");
    if (json || !response.ok()) {
      return FnCommand.print(out, response);
    }
    JsonObject body = new JsonObject(response.text());
    body.getJsonArray("lines", new JsonArray()).forEach(line -> print((JsonObject) line, out, err));
    body.getJsonArray("errors", new JsonArray()).forEach(error -> print((JsonObject) error, out, err));
    out.flush();
    err.flush();
    return 0;
  }

  /** A line as {@code TIME INSTANCE TEXT} on stdout; an instance that could not be read on stderr. */
  private static void print(JsonObject entry, PrintStream out, PrintWriter err) {
    String error = entry.getString("error", entry.getString("message"));
    if (error != null) {
      err.println("pulse: no logs of " + entry.getString("instance") + " on " + entry.getString("worker") + ": "
          + error);
      err.flush();
    } else {
      out.println(entry.getString("time") + " " + entry.getString("instance") + " " + entry.getString("text"));
    }
  }
}
