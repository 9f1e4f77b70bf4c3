package io.pulse.cli.run;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pulse.api.v1.ControlPlaneServiceGrpc;
import io.pulse.api.v1.GetLeaderRequest;
import io.pulse.cli.client.CliException;
import io.pulse.common.grpc.GrpcChannels;
import io.pulse.common.net.HostPort;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One {@code GetLeader} to each {@code --control-plane} address before a component starts, so that a wrong address
 * is one line instead of an HTTP/2 stack trace or a retry loop that never says why. An address that answers but is
 * not a control plane (the REST port, a gateway, a worker) cannot start working by waiting: the command ends. One that
 * does not answer yet is only reported, since daemons are meant to wait for the control plane and keep retrying.
 */
final class ControlPlaneProbe {

  /** What one address said. */
  sealed interface Outcome {
    /** A control plane answered. */
    record Answered() implements Outcome {}

    /** Nothing answered (yet): connection refused, unknown host, no answer in time. */
    record NotYet(String reason) implements Outcome {}

    /** Something answered that is not a control plane's gRPC: waiting will not help. */
    record WrongService(String reason) implements Outcome {}
  }

  static final Duration DEADLINE = Duration.ofSeconds(3);

  private ControlPlaneProbe() {}

  /**
   * Probes every address. A {@link Outcome.WrongService} ends the command; a {@link Outcome.NotYet} is one line on
   * {@code err} saying the component keeps trying, or, when {@code mustAnswer} (a one-shot command), ends it too.
   */
  static void check(String command, List<HostPort> addresses, boolean mustAnswer, PrintWriter err) {
    for (HostPort address : addresses) {
      switch (ask(address)) {
        case Outcome.Answered answered -> { }
        case Outcome.WrongService wrong -> throw new CliException(ControlPlaneAddresses.OPTION + " " + address
            + " " + wrong.reason() + ": pass the control plane's gRPC address (its --grpc-port, 9091 by default)");
        case Outcome.NotYet notYet when mustAnswer -> throw new CliException("no control plane at " + address + " ("
            + notYet.reason() + ")");
        case Outcome.NotYet notYet -> {
          err.println("pulse: no control plane at " + address + " yet (" + notYet.reason() + "); the " + command
              + " keeps trying");
          err.flush();
        }
      }
    }
  }

  static Outcome ask(HostPort address) {
    ManagedChannel channel = GrpcChannels.to(address.toString());
    try {
      ControlPlaneServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
          .getLeader(GetLeaderRequest.getDefaultInstance());
      return new Outcome.Answered();
    } catch (StatusRuntimeException e) {
      return classify(e.getStatus());
    } finally {
      GrpcChannels.close(channel);
    }
  }

  /** What a failed call's status says about the address (pure: a status in, an outcome out). */
  static Outcome classify(Status status) {
    if (causedBy(status.getCause(), "First received frame was not SETTINGS")) {
      return new Outcome.WrongService("answers HTTP/1.x, not gRPC (a REST API or gateway port?)");
    }
    return switch (status.getCode()) {
      case UNIMPLEMENTED -> new Outcome.WrongService("answers HTTP/2 but is not a control plane (a worker's or a"
          + " gateway's port?)");
      case DEADLINE_EXCEEDED -> new Outcome.NotYet("no answer within " + DEADLINE.toSeconds() + " s");
      case UNAVAILABLE -> new Outcome.NotYet(unavailable(status));
      default -> new Outcome.NotYet(status.getCode() + (status.getDescription() == null ? ""
          : ": " + status.getDescription()));
    };
  }

  private static String unavailable(Status status) {
    for (Throwable t = status.getCause(); t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException) {
        return "unknown host";
      }
      if (t instanceof ConnectException) {
        return "connection refused";
      }
    }
    return status.getDescription() == null ? "unavailable" : status.getDescription();
  }

  private static boolean causedBy(@Nullable Throwable cause, String text) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains(text)) {
        return true;
      }
    }
    return false;
  }
}
