package io.pulse.worker.sandbox.containerd;

import io.pulse.worker.image.ImageConfig;
import io.pulse.worker.sandbox.SandboxSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * What a sandbox runs: its argv (the function's command, else the image's entrypoint and cmd) and its environment (the
 * image's, then the function's, then Pulse's: {@code PORT} and the instance's names). Secrets are added by the runtime.
 * Pure, so that the bench's raw OCI floor runs exactly the process a sandbox would.
 */
public record SandboxProcess(List<String> args, List<String> env) {

  private static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  public SandboxProcess {
    args = List.copyOf(args);
    env = List.copyOf(env);
  }

  /** The process of instance {@code id} of {@code spec} from {@code image}, listening on {@code port}. */
  public static SandboxProcess of(String id, SandboxSpec spec, ImageConfig image, int port) {
    List<String> args = new ArrayList<>();
    if (!spec.command().isEmpty()) {
      spec.command().forEach(a -> args.add(a.replace("${PORT}", Integer.toString(port))));
    } else {
      args.addAll(image.entrypoint());
      args.addAll(image.cmd());
    }
    List<String> env = new ArrayList<>(image.env());
    if (env.stream().noneMatch(e -> e.startsWith("PATH="))) {
      env.addFirst(DEFAULT_PATH);
    }
    spec.env().forEach((k, v) -> env.add(k + "=" + v));
    env.add("PORT=" + port);
    env.add("PULSE_INSTANCE_ID=" + id);
    env.add("PULSE_FUNCTION=" + spec.function());
    env.add("PULSE_REVISION=" + spec.revision());
    return new SandboxProcess(args, env);
  }
}
