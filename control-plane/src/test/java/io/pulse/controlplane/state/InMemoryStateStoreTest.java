package io.pulse.controlplane.state;

class InMemoryStateStoreTest extends StateStoreContract {

  @Override
  protected StateStore newStore() {
    return StateStore.inMemory();
  }
}
