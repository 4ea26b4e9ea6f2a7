package dev.ferrymq.queue;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The window of an auto-ack consumer: credit is a running total, so a report lost or repeated costs nothing. */
class QueueStateTest {

  @Test
  void creditIsARunningTotal() {
    QueueState state = new QueueState();
    QueueState.Consumer c = new QueueState.Consumer("c", "node", "addr", 4, 0, true);
    state.upsertConsumer(c, 0);
    for (long seq = 1; seq <= 4; seq++) {
      state.add(new QueueState.Entry(seq, new byte[] {1}, 0, 0, 0), 0);
      state.take(c);
    }
    assertThat(c.inFlight).isEqualTo(4);

    state.credit("c", 2);
    assertThat(c.inFlight).isEqualTo(2);
    state.credit("c", 2); // the same report again (a heartbeat): nothing more
    assertThat(c.inFlight).isEqualTo(2);
    state.credit("c", 1); // an older report arriving late: nothing
    assertThat(c.inFlight).isEqualTo(2);
    state.credit("c", 4); // the report of 3 was lost; the next one says 4 in all
    assertThat(c.inFlight).isZero();
  }
}
