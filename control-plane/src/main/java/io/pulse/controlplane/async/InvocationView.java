package io.pulse.controlplane.async;

import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What users see of an invocation ({@code GET /v1/invocations/{id}} and the callback's body): never the request's
 * headers or body, which may carry credentials. The result's body is {@code body} when it is UTF-8 text, else
 * {@code bodyBase64}.
 */
public final class InvocationView {

  private InvocationView() {}

  public static JsonObject toJson(Invocation invocation) {
    JsonObject json = new JsonObject()
        .put("id", invocation.id())
        .put("function", invocation.function())
        .put("state", invocation.state().label())
        .put("attempts", invocation.attempts())
        .put("acceptedAt", invocation.acceptedAt().toString());
    if (invocation.state() == InvocationState.QUEUED && invocation.attempts() > 0) {
      json.put("nextAttemptAt", invocation.notBefore().toString());
    }
    if (invocation.finishedAt() != null) {
      json.put("finishedAt", invocation.finishedAt().toString());
    }
    Invocation.Outcome result = invocation.result();
    if (result != null) {
      JsonObject outcome = new JsonObject().put("status", result.status());
      byte[] body = Base64.getDecoder().decode(result.body64());
      String text = utf8(body);
      if (text != null) {
        outcome.put("body", text);
      } else {
        outcome.put("bodyBase64", result.body64());
      }
      if (result.error() != null) {
        outcome.put("error", result.error());
      }
      json.put("result", outcome);
    }
    return json;
  }

  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
