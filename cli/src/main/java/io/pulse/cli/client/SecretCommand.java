package io.pulse.cli.client;

import io.pulse.cli.PulseCommand;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pulse secret create|update|list|delete}: secrets through the REST API. A value is read from a file or stdin,
 * never from the command line (where ps and shell histories would keep it), and is never printed.
 */
@Command(name = "secret", description = "Manage secrets through the REST API (values are never shown).",
    subcommands = {SecretCommand.Create.class, SecretCommand.Update.class, SecretCommand.List.class,
        SecretCommand.Delete.class})
public final class SecretCommand {

  /** Where a value comes from: its bytes exactly (a trailing newline too), UTF-8. */
  static final class ValueSource {
    @Option(names = "--from-file", paramLabel = "PATH", defaultValue = "-",
        description = "Read the value from this file; '-' (the default) reads stdin. Taken exactly: use printf, not"
            + " echo, to leave out a newline.")
    String file;

    String read(InputStream stdin) {
      byte[] bytes;
      try {
        bytes = file.equals("-") ? stdin.readAllBytes() : Files.readAllBytes(Path.of(file));
      } catch (IOException e) {
        throw new CliException("cannot read " + file + ": " + e.getMessage());
      }
      try {
        return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
      } catch (CharacterCodingException e) {
        throw new CliException("the value in " + (file.equals("-") ? "stdin" : file) + " is not UTF-8 text");
      }
    }
  }

  @Command(name = "create", description = "Create a secret; its value comes from --from-file or stdin.")
  static final class Create implements Callable<Integer> {
    @Mixin FnCommand.ApiOption api;
    @Mixin ValueSource value;
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Parameters(paramLabel = "NAME") String name;

    @Override
    public Integer call() {
      String body = new JsonObject().put("name", name).put("value", value.read(System.in)).encode();
      return FnCommand.print(PulseCommand.out(spec), api.client().json("POST", "/v1/secrets", body));
    }
  }

  @Command(name = "update", description = "Give a secret a new value (from --from-file or stdin).")
  static final class Update implements Callable<Integer> {
    @Mixin FnCommand.ApiOption api;
    @Mixin ValueSource value;
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Parameters(paramLabel = "NAME") String name;

    @Override
    public Integer call() {
      String body = new JsonObject().put("value", value.read(System.in)).encode();
      return FnCommand.print(PulseCommand.out(spec), api.client().json("PUT", "/v1/secrets/"
          + FnCommand.encode(name), body));
    }
  }

  @Command(name = "list", description = "List secrets (names, revisions, times).")
  static final class List implements Callable<Integer> {
    @Mixin FnCommand.ApiOption api;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      ApiClient.Response response = api.client().json("GET", "/v1/secrets", "");
      if (!response.ok()) {
        return FnCommand.print(PulseCommand.out(spec), response);
      }
      PrintStream out = PulseCommand.out(spec);
      JsonArray secrets = new JsonObject(response.text()).getJsonArray("secrets", new JsonArray());
      out.printf("%-32s %-8s %s%n", "NAME", "REVISION", "UPDATED");
      for (int i = 0; i < secrets.size(); i++) {
        JsonObject secret = secrets.getJsonObject(i);
        out.printf("%-32s %-8s %s%n", secret.getString("name"), secret.getValue("revision"),
            secret.getString("updatedAt"));
      }
      out.flush();
      return 0;
    }
  }

  @Command(name = "delete", description = "Delete a secret (refused while a function names it).")
  static final class Delete implements Callable<Integer> {
    @Mixin FnCommand.ApiOption api;
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Parameters(paramLabel = "NAME") String name;

    @Override
    public Integer call() {
      return FnCommand.print(PulseCommand.out(spec), api.client().json("DELETE", "/v1/secrets/"
          + FnCommand.encode(name), ""));
    }
  }
}
