package io.pulse.cli.client;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import io.pulse.cli.PulseCommand;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pulse fn deploy|list|get|delete|logs}: function registration through the REST API. */
@Command(name = "fn", description = "Manage functions through the REST API.",
    subcommands = {FnCommand.Deploy.class, FnCommand.List.class, FnCommand.Get.class, FnCommand.Delete.class,
        FnLogsCommand.class})
public final class FnCommand {

  /** The options every client command of the REST API takes: where it is, the token, the CA to trust. */
  public static final class ApiOption {
    @Option(names = "--api", defaultValue = "${env:PULSE_API:-http://localhost:9090}",
        description = "Control-plane REST API (default: ${DEFAULT-VALUE}; env PULSE_API).")
    String url;

    @Option(names = "--token", description = "Bearer token of the REST API (default: env PULSE_API_TOKEN, else"
        + " --token-file, else ~/.pulse/api-token).")
    String token;

    @Option(names = "--token-file", description = "File whose first line is the token.")
    Path tokenFile;

    @Option(names = "--ca-cert", defaultValue = "${env:PULSE_CA_CERT}",
        description = "CA certificate (PEM) to trust for an https --api (default: env PULSE_CA_CERT; else the"
            + " JDK's CAs).")
    Path caCert;

    ApiClient client() {
      return new ApiClient(ApiClient.requireHttpUrl("--api", url, "the REST API"), ClientToken.resolve(token, System.getenv("PULSE_API_TOKEN"), tokenFile,
          ClientToken.defaultFile()), caCert);
    }
  }

  @Command(name = "deploy",
      description = "Create a function from a JSON spec, or update it if it exists (a new revision if it changed).")
  static final class Deploy implements Callable<Integer> {
    @Mixin ApiOption api;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = {"-f", "--file"}, required = true, description = "Function spec (JSON); '-' reads stdin.")
    String file;

    @Override
    public Integer call() {
      String body = read(file);
      String name;
      try {
        name = new JsonObject(body).getString("name", "");
      } catch (DecodeException | ClassCastException e) {
        throw new CliException(file + " is not a JSON object: " + e.getMessage());
      }
      ApiClient client = api.client();
      ApiClient.Response response = client.json("POST", "/v1/functions", body);
      if (response.status() == 409) {
        response = client.json("PUT", "/v1/functions/" + encode(name), body);
      }
      return print(PulseCommand.out(spec), response);
    }

    private static String read(String file) {
      try {
        return file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
            : Files.readString(Path.of(file));
      } catch (IOException e) {
        throw new CliException("cannot read " + file + ": " + e.getMessage());
      }
    }
  }

  @Command(name = "list", description = "List functions.")
  static final class List implements Callable<Integer> {
    @Mixin ApiOption api;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      ApiClient.Response response = api.client().json("GET", "/v1/functions", "");
      if (!response.ok()) {
        return print(PulseCommand.out(spec), response);
      }
      PrintStream out = PulseCommand.out(spec);
      JsonArray functions = new JsonObject(response.text()).getJsonArray("functions", new JsonArray());
      out.printf("%-32s %-8s %s%n", "NAME", "REVISION", "IMAGE/COMMAND");
      for (int i = 0; i < functions.size(); i++) {
        JsonObject fn = functions.getJsonObject(i);
        String what = fn.getString("image") != null ? fn.getString("image")
            : String.join(" ", fn.getJsonArray("command", new JsonArray()).stream().map(String::valueOf).toList());
        out.printf("%-32s %-8s %s%n", fn.getString("name"), fn.getValue("revision"), what);
      }
      out.flush();
      return 0;
    }
  }

  @Command(name = "get", description = "Show one function.")
  static final class Get implements Callable<Integer> {
    @Mixin ApiOption api;
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Parameters(paramLabel = "NAME") String name;

    @Override
    public Integer call() {
      return print(PulseCommand.out(spec), api.client().json("GET", "/v1/functions/" + encode(name), ""));
    }
  }

  @Command(name = "delete", description = "Delete a function and its instances.")
  static final class Delete implements Callable<Integer> {
    @Mixin ApiOption api;
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Parameters(paramLabel = "NAME") String name;

    @Override
    public Integer call() {
      return print(PulseCommand.out(spec), api.client().json("DELETE", "/v1/functions/" + encode(name), ""));
    }
  }

  static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Prints a JSON answer pretty; an error answer becomes the message on stderr and exit code 1. */
  static int print(PrintStream out, ApiClient.Response response) {
    if (!response.ok()) {
      throw new CliException("HTTP " + response.status() + ": " + errorMessage(response));
    }
    String text = response.text();
    try {
      out.println(new JsonObject(text).encodePrettily());
    } catch (DecodeException e) {
      out.println(text);
    }
    out.flush();
    return 0;
  }

  static String errorMessage(ApiClient.Response response) {
    try {
      JsonObject error = new JsonObject(response.text()).getJsonObject("error");
      if (error != null) {
        String field = error.getString("field");
        return error.getString("message", "") + (field == null ? "" : " (field: " + field + ")");
      }
    } catch (DecodeException | ClassCastException e) {
      // not our error shape; show the body as it is
    }
    return response.text().strip();
  }
}
