package io.pulse.worker.sandbox.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class ContainmentTest {

  private final List<List<String>> tried = new ArrayList<>();

  @Test
  void root_getsAPidNamespaceThatDiesWithTheWorker() {
    Containment chosen = Containment.choose(machine(command -> true));

    assertThat(chosen.namespaced()).isTrue();
    assertThat(chosen.diesWithWorker()).isTrue();
    assertThat(chosen.wrap(List.of("python3", "app.py"))).startsWith("setpriv", "--pdeathsig", "KILL", "unshare")
        .doesNotContain("--user").endsWith("python3", "app.py");
  }

  @Test
  void aNormalUser_getsAUserNamespaceAroundThePidNamespace() {
    Containment chosen = Containment.choose(machine(command -> command.contains("--user")
        || command.getFirst().equals("setpriv") && command.size() == 4));

    assertThat(chosen.namespaced()).isTrue();
    assertThat(chosen.prefix()).contains("--user", "--map-current-user", "--pid", "--kill-child");
  }

  @Test
  void withoutNamespaces_fallsBackToTheProcessTree_stillWithTheParentDeathSignal() {
    Containment chosen = Containment.choose(machine(command -> !command.contains("unshare")));

    assertThat(chosen.name()).isEqualTo("process-tree");
    assertThat(chosen.namespaced()).isFalse();
    assertThat(chosen.diesWithWorker()).as("only the top process would die with the worker").isFalse();
    assertThat(chosen.wrap(List.of("app"))).containsExactly("setpriv", "--pdeathsig", "KILL", "app");
  }

  @Test
  void withoutSetpriv_theNamespaceDoesNotDieWithTheWorker() {
    Containment chosen = Containment.choose(machine(command -> !command.contains("setpriv")));

    assertThat(chosen.namespaced()).isTrue();
    assertThat(chosen.diesWithWorker()).isFalse();
    assertThat(chosen.prefix()).first().isEqualTo("unshare");
    assertThat(tried).allSatisfy(command -> assertThat(command).last().isEqualTo("true"));
  }

  /** A machine where the commands {@code works} accepts exit with 0 and the others fail. */
  private Function<List<String>, @Nullable String> machine(Predicate<List<String>> works) {
    return command -> {
      tried.add(command);
      return works.test(command) ? null : "unshare: unshare failed: Operation not permitted";
    };
  }
}
