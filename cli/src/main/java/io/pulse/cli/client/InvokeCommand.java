package io.pulse.cli.client;

import io.pulse.cli.PulseCommand;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pulse invoke NAME}: one request through the data plane, the answer's body on stdout. */
@Command(name = "invoke", description = "Invoke a function through the gateway and print its answer.")
public final class InvokeCommand implements Callable<Integer> {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "NAME") String name;

  @Option(names = {"-d", "--data"}, description = "Request body (sent with POST unless -X says otherwise).")
  String data;

  @Option(names = {"-X", "--method"}, description = "HTTP method (default: GET, or POST with -d).")
  String method;

  @Option(names = "--path", defaultValue = "/", description = "Path (and query) inside the function (default: /).")
  String path;

  @Option(names = "--gateway", defaultValue = "${env:PULSE_GATEWAY:-http://localhost:8080}",
      description = "Data-plane gateway (default: ${DEFAULT-VALUE}; env PULSE_GATEWAY).")
  String gateway;

  @Option(names = "--api", description = "Accepted for symmetry with the other commands; invoke uses --gateway.",
      hidden = true)
  String api;

  @Option(names = "--timeout", defaultValue = "PT5M", description = "Give up after this long (ISO-8601, default 5m).")
  Duration timeout;

  @Option(names = "--ca-cert", defaultValue = "${env:PULSE_CA_CERT}",
      description = "CA certificate (PEM) to trust for an https --gateway (default: env PULSE_CA_CERT).")
  java.nio.file.Path caCert;

  @Option(names = {"--token", "--token-file"}, hidden = true,
      description = "Accepted and ignored: invocations are public, only the REST API needs the token.")
  String ignoredToken;

  @Option(names = "--async", description = "Hand the request to the platform (202) and print the invocation's id;"
      + " `pulse invocation get ID` shows its result.")
  boolean async;

  @Option(names = "--callback", paramLabel = "URL",
      description = "With --async: the URL that receives the result (POST, JSON) once the invocation ends.")
  String callback;

  @Override
  public Integer call() {
    if (callback != null && !async) {
      throw new CliException("--callback needs --async");
    }
    byte[] body = data == null ? new byte[0] : data.getBytes(StandardCharsets.UTF_8);
    String verb = method != null ? method.toUpperCase(java.util.Locale.ROOT) : data == null ? "GET" : "POST";
    String suffix = path.startsWith("/") ? path : "/" + path;
    ApiClient.Response response = new ApiClient(ApiClient.requireHttpUrl("--gateway", gateway, "the gateway"), null, caCert)
        .send(verb, (async ? "/async/fn/" : "/fn/") + FnCommand.encode(name) + suffix, body,
            "application/octet-stream", timeout,
            callback == null ? java.util.Map.of() : java.util.Map.of("Pulse-Callback-Url", callback));
    if (async && response.status() == 202) {
      PulseCommand.out(spec).println(new io.vertx.core.json.JsonObject(response.text()).getString("id"));
      return 0;
    }
    if (!response.ok()) {
      throw new CliException("HTTP " + response.status() + ": " + FnCommand.errorMessage(response));
    }
    PrintStream out = PulseCommand.out(spec);
    out.write(response.body(), 0, response.body().length);
    out.flush();
    return 0;
  }
}
