package io.pulse.controlplane.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Observing only the functions that changed gives the ledger a whole-table observation gives: the same accounts and
 * the same changes, after any history and however observations are spread over it.
 */
class LedgerIncrementalPropertiesTest {

  private static final long T0 = 1_000_000;

  record Op(boolean remove, int id, int function, boolean ready, boolean observe) {}

  @Provide
  Arbitrary<List<Op>> histories() {
    return Combinators.combine(Arbitraries.of(false, false, true), Arbitraries.integers().between(0, 9),
        Arbitraries.integers().between(0, 2), Arbitraries.of(true, false), Arbitraries.of(true, false, false))
        .as(Op::new).list().ofMaxSize(100);
  }

  @Property(tries = 300)
  void observingChangedFunctions_equalsObservingTheWholeTable(@ForAll("histories") List<Op> history) {
    Ledger whole = new Ledger(T0, 1_000, 50);
    Ledger incremental = new Ledger(T0, 1_000, 50);
    Map<String, RegularFact> table = new LinkedHashMap<>();
    Set<String> changed = new HashSet<>();
    long now = T0;
    for (Op op : history) {
      now += 10;
      // An instance id names its function, as the lifecycle's ids do.
      String function = "f" + op.function();
      String id = function + "-r" + op.id();
      RegularFact old = table.remove(id);
      if (old != null) {
        changed.add(old.function());
      }
      if (!op.remove()) {
        RegularFact fact = new RegularFact(id, function, "w", 64, T0, op.ready() ? T0 + 5 : 0, false);
        table.put(id, fact);
        changed.add(function);
      }
      if (op.observe()) {
        observeBoth(whole, incremental, table, changed, now);
        // Only the incremental ledger snapshots along the way: its snapshot rebuilds just the functions whose
        // accounts changed since, and must end up where a ledger that snapshots once does.
        whole.prune(now);
        incremental.prune(now);
        incremental.snapshot(now);
      }
    }
    observeBoth(whole, incremental, table, changed, now + 10);
    assertThat(incremental.snapshot(now + 20)).isEqualTo(whole.snapshot(now + 20));
  }

  private static void observeBoth(Ledger whole, Ledger incremental, Map<String, RegularFact> table,
      Set<String> changed, long now) {
    List<LedgerChange> all = whole.observeRegular(List.copyOf(table.values()), now);
    List<RegularFact> ofChanged = table.values().stream().filter(f -> changed.contains(f.function())).toList();
    List<LedgerChange> some = incremental.observeRegular(Set.copyOf(changed), ofChanged, now);
    changed.clear();
    Comparator<LedgerChange> order = Comparator.comparing(LedgerChange::toString);
    assertThat(some.stream().sorted(order).toList()).isEqualTo(all.stream().sorted(order).toList());
  }
}
