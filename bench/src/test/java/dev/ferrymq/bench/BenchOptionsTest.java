package dev.ferrymq.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

  @Test
  void w1AloneIsInProcessWithThePeersDefaults() {
    BenchOptions o = BenchOptions.parse(new String[] {"w1"});
    assertThat(o.path).isEqualTo("in-process");
    assertThat(List.of(o.size, o.warm, o.secs, o.window, o.confirmWindow, o.rate)).containsExactly(1024, 2, 8, 1000,
      256, 0);
    assertThat(o.label()).isEqualTo("W1 in-process");
    assertThat(o.connections).isEqualTo(256); // over HTTP: one unconfirmed send per connection
    assertThat(BenchOptions.parse(new String[] {"w1", "--cwin", "64"}).connections).isEqualTo(64);
    assertThat(BenchOptions.parse(new String[] {"w1", "--conns", "8"}).connections).isEqualTo(8);
    assertThat(BenchOptions.parse(new String[] {"w2"}).connections).isEqualTo(32);
    assertThat(BenchOptions.parse(new String[] {"lat"}).connections).isEqualTo(32);
  }

  @Test
  void pathsAndLat() {
    assertThat(BenchOptions.parse(new String[] {"lat", "--http"}).label()).isEqualTo("W1 @1000/s http");
    BenchOptions url = BenchOptions.parse(new String[] {"w4", "--url", "http://127.0.0.1:8080", "--conc", "16"});
    assertThat(url.urls).containsExactly("http://127.0.0.1:8080");
    assertThat(url.label()).isEqualTo("W4 x16 http");
    BenchOptions cluster = BenchOptions.parse(new String[] {"w2", "--urls", "http://a:1, http://b:2", "--ack",
      "single"});
    assertThat(cluster.urls).containsExactly("http://a:1", "http://b:2");
    assertThat(cluster.label()).isEqualTo("W2 (single acks) cluster");
    BenchOptions w5 = BenchOptions.parse(new String[] {"w5", "--clients", "10000"});
    assertThat(w5.path).isEqualTo("http");
    assertThat(w5.window).isEqualTo(20);
    assertThat(w5.label()).isEqualTo("W5 x10000 http");
    BenchOptions batched = BenchOptions.parse(new String[] {"w1", "--http", "--batch", "64"});
    assertThat(batched.batch).isEqualTo(64);
    assertThat(batched.label()).isEqualTo("W1 (batches of 64) http");
    assertThat(BenchOptions.parse(new String[] {"w1", "--batch", "64"}).label()).as("in-process has no batches")
      .isEqualTo("W1 in-process");
  }

  @Test
  void rejoinRunsOnItsOwnClusterWithAPortOffset() {
    BenchOptions o = BenchOptions.parse(new String[] {"rejoin", "--reps", "5", "--port-offset", "300"});
    assertThat(o.path).isEqualTo("cluster");
    assertThat(o.reps).isEqualTo(5);
    assertThat(o.portOffset).isEqualTo(300);
    assertThat(o.label()).isEqualTo("REJOIN cluster");
    assertThat(BenchOptions.parse(new String[] {"rejoin"}).portOffset).isZero();
    assertThat(BenchOptions.parse(new String[] {"rejoin", "--cluster"}).path).isEqualTo("cluster");
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"rejoin", "--http"})).hasMessageContaining("its own 3 nodes");
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"rejoin", "--urls", "http://a:1"}))
      .hasMessageContaining("its own 3 nodes");
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"rejoin", "--port-offset", "0"}))
      .hasMessageContaining("positive");
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"rejoin", "--port-offset", "60000"}))
      .hasMessageContaining("below 65536");
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"w1", "--port-offset", "300"}))
      .hasMessageContaining("option of rejoin");
    assertThatThrownBy(() -> BenchOptions.parseAll(new String[] {"w1,rejoin"})).hasMessageContaining("alone");
  }

  @Test
  void aListRunsItsWorkloadsInOrderOnOneServer() {
    List<BenchOptions> all = BenchOptions.parseAll(new String[] {"w1,w2,lat", "--http", "--reps", "3"});
    assertThat(all).extracting(o -> o.workload).containsExactly("w1", "w2", "w1");
    assertThat(all).allSatisfy(o -> {
      assertThat(o.path).isEqualTo("http");
      assertThat(o.reps).isEqualTo(3);
    });
    assertThat(all.get(2).rate).isEqualTo(1000);
    assertThat(all.get(0).label()).isEqualTo("W1 http");
    assertThat(all.get(2).label()).isEqualTo("W1 @1000/s http after w1,w2");
    assertThatThrownBy(() -> BenchOptions.parseAll(new String[] {"w1,node"})).hasMessageContaining("alone");
    assertThatThrownBy(() -> BenchOptions.parseAll(new String[] {"w1,w5"})).hasMessageContaining("--http");
  }

  @Test
  void badArgumentsSayWhat() {
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {})).hasMessageContaining("usage");
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"w9"})).hasMessageContaining("unknown workload");
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"w1", "--secs"})).hasMessageContaining("needs a value");
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"w1", "--secs", "0"})).hasMessageContaining("positive");
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"w1", "--ack", "some"})).hasMessageContaining("batch");
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"w1", "--frob", "1"})).hasMessageContaining("unknown");
  }
}
